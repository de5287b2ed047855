package org.seglight.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Every number that defines a Seglight network, saved as JSON beside the weights so a checkpoint rebuilds
 * exactly its own network.
 *
 * @param variant which network of docs/NETWORK.md §0
 * @param embedDim joint dimension C (the text encoder's output dimension)
 * @param units number of Conv-Former units N (0 for fpn and denseclip)
 * @param bridgeHeads heads h_b of Conv2Former and Former2Conv
 * @param formerHeads heads h_f of the Former's self-attention
 * @param ffnRatio the Former's FFN expansion
 * @param convExpansion expansion t of the Conv block's inverted residual
 * @param neckChannels Semantic FPN neck width
 * @param headChannels FPN head width
 * @param numClasses K, the classifier's outputs
 * @param dropout Dropout2d probability before the classifier
 * @param tau score-map temperature of the auxiliary loss
 * @param auxWeight weight of the auxiliary loss
 * @param inputWidth network input (window) width for sliding inference
 * @param inputHeight network input (window) height for sliding inference
 * @param normEps epsilon of LayerNorm and BatchNorm
 * @param bnMomentum BatchNorm momentum in PyTorch's convention
 */
public record ModelConfig(
        Variant variant,
        int embedDim,
        int units,
        int bridgeHeads,
        int formerHeads,
        int ffnRatio,
        int convExpansion,
        int neckChannels,
        int headChannels,
        int numClasses,
        float dropout,
        float tau,
        float auxWeight,
        int inputWidth,
        int inputHeight,
        float normEps,
        float bnMomentum) {

    /** Output strides of the encoder stages fed to the FPN (C2, C3, C4 and the fused stride-32 map). */
    public static final int OUTPUT_STRIDE = 32;

    private static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .registerTypeAdapter(Variant.class, new VariantAdapter())
            .create();

    public ModelConfig {
        List<String> problems = new ArrayList<>();
        if (variant == null) {
            problems.add("variant is missing");
        }
        if (numClasses < 1) {
            problems.add("numClasses must be at least 1, got " + numClasses);
        }
        if (neckChannels < 1 || headChannels < 1) {
            problems.add("neckChannels and headChannels must be positive");
        }
        if (inputWidth < OUTPUT_STRIDE || inputHeight < OUTPUT_STRIDE
                || inputWidth % OUTPUT_STRIDE != 0 || inputHeight % OUTPUT_STRIDE != 0) {
            problems.add("input size must be a positive multiple of 32, got " + inputWidth + "x" + inputHeight);
        }
        if (variant != null && variant.usesText()) {
            if (embedDim < 1) {
                problems.add("embedDim must be positive, got " + embedDim);
            }
        }
        if (variant != null && variant.hasUnits()) {
            if (units < 1 || units > 8) {
                problems.add("units must be 1..8 for " + variant + ", got " + units);
            }
            if (bridgeHeads < 1 || embedDim % bridgeHeads != 0) {
                problems.add("bridgeHeads (" + bridgeHeads + ") must divide embedDim (" + embedDim + ")");
            }
            if (formerHeads < 1 || embedDim % formerHeads != 0) {
                problems.add("formerHeads (" + formerHeads + ") must divide embedDim (" + embedDim + ")");
            }
            if (ffnRatio < 1 || convExpansion < 1) {
                problems.add("ffnRatio and convExpansion must be positive");
            }
        } else if (variant != null && units != 0) {
            problems.add(variant + " has no fusion units, but units = " + units);
        }
        if (dropout < 0 || dropout >= 1) {
            problems.add("dropout must be in [0, 1), got " + dropout);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid model config: " + String.join("; ", problems));
        }
    }

    /**
     * A named preset of docs/NETWORK.md §0 and §1.
     *
     * @param preset {@code paper} (sections 1-11 exactly) or {@code lite} (for interactive CPU use)
     * @param variant the network variant
     * @param embedDim C; pass 0 for the preset's own (512 paper, 384 lite)
     * @param numClasses K
     */
    public static ModelConfig preset(String preset, Variant variant, int embedDim, int numClasses) {
        return switch (preset) {
            case "paper" -> {
                int c = embedDim > 0 ? embedDim : 512;
                yield new ModelConfig(variant, c, variant.hasUnits() ? 6 : 0, 2, Math.max(1, c / 64), 2, 6,
                        256, 256, numClasses, 0.1f, 0.07f, 0.4f, 512, 512, 1e-5f, 0.1f);
            }
            case "lite" -> {
                int c = embedDim > 0 ? embedDim : 384;
                yield new ModelConfig(variant, c, variant.hasUnits() ? 2 : 0, 2, Math.max(1, c / 64), 2, 2,
                        128, 128, numClasses, 0.1f, 0.07f, 0.4f, 512, 512, 1e-5f, 0.1f);
            }
            default -> throw new IllegalArgumentException("Unknown preset '" + preset + "'; expected paper or lite");
        };
    }

    /** The same config with another number of fusion units (the paper's ablation 4.4.2). */
    public ModelConfig withUnits(int n) {
        return new ModelConfig(variant, embedDim, n, bridgeHeads, formerHeads, ffnRatio, convExpansion,
                neckChannels, headChannels, numClasses, dropout, tau, auxWeight, inputWidth, inputHeight,
                normEps, bnMomentum);
    }

    /** The same config with other FPN neck and head widths. */
    public ModelConfig withFpnChannels(int neck, int head) {
        return new ModelConfig(variant, embedDim, units, bridgeHeads, formerHeads, ffnRatio, convExpansion, neck,
                head, numClasses, dropout, tau, auxWeight, inputWidth, inputHeight, normEps, bnMomentum);
    }

    /** The same config with another Conv-block expansion t. */
    public ModelConfig withConvExpansion(int t) {
        return new ModelConfig(variant, embedDim, units, bridgeHeads, formerHeads, ffnRatio, t, neckChannels,
                headChannels, numClasses, dropout, tau, auxWeight, inputWidth, inputHeight, normEps, bnMomentum);
    }

    /** The same config with another number of classes. */
    public ModelConfig withNumClasses(int k) {
        return new ModelConfig(variant, embedDim, units, bridgeHeads, formerHeads, ffnRatio, convExpansion,
                neckChannels, headChannels, k, dropout, tau, auxWeight, inputWidth, inputHeight, normEps,
                bnMomentum);
    }

    /** Channels of the stride-32 map that enters the FPN: C5, I₀ + S₀ or I′ + S. */
    public int fusedChannels() {
        return variant.usesText() ? embedDim + numClasses : MobileNetV2Encoder.C5_CHANNELS;
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    /** Parses and validates a config; the message of a failure says which numbers are wrong. */
    public static ModelConfig fromJson(String json) {
        try {
            // Gson builds records through the canonical constructor, which validates.
            ModelConfig config = GSON.fromJson(json, ModelConfig.class);
            if (config == null) {
                throw new IllegalArgumentException("Invalid model config: empty");
            }
            return config;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("Invalid model config JSON: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof IllegalArgumentException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static final class VariantAdapter extends TypeAdapter<Variant> {
        @Override
        public void write(JsonWriter out, Variant value) throws IOException {
            out.value(value.id());
        }

        @Override
        public Variant read(JsonReader in) throws IOException {
            return Variant.fromId(in.nextString());
        }
    }
}

package org.seglight.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.seglight.model.ModelConfig;
import org.seglight.model.Variant;
import org.seglight.text.ClassPrompt;

/**
 * Everything a training run needs besides the data, as JSON (docs/NETWORK.md §8 is the default recipe; the
 * numbers that must shrink for a 2-core CPU are all here).
 */
public final class TrainConfig {

    public String preset = "lite";
    public String variant = "convformer";
    /** Overrides of the preset; 0 keeps the preset's number. */
    public int units;
    public int neckChannels;
    public int headChannels;
    public int convExpansion;
    public String template = ClassPrompt.DEFAULT_TEMPLATE;
    /** ImageNet MobileNetV2 safetensors (or its folder), relative to the config file; null for random. */
    public String imagenet;

    /** The licence the trained weights inherit from the data, for the model card. */
    public String dataLicence = "the training data's licence applies";

    public String trainSplit = "train.txt";
    public String valSplit = "val.txt";
    public int voidIndex = -1;

    public int crop = 384;
    public int batch = 8;
    public int iterations = 80_000;
    public double lr = 1e-4;
    public double weightDecay = 1e-4;
    public double encoderLrMult = 0.1;
    public int warmupIters = 1500;
    public double warmupRatio = 1e-6;
    public double minLr = 1e-6;
    public double power = 0.9;
    public int scaleLong = 2048;
    public int scaleShort = 512;
    public double ratioMin = 0.5;
    public double ratioMax = 2.0;
    public double catMaxRatio = 0.75;
    public long seed = 42;
    /**
     * A weight per class for the cross entropy (a class-balanced loss, e.g. SegNet's median-frequency weights
     * for CamVid), one per class of the data in label order; null for the plain loss.
     */
    public double[] classWeights;
    public int checkpointEvery = 200;
    public int evalEvery = 0;
    public int logEvery = 10;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    public static TrainConfig read(Path file) throws IOException {
        try {
            TrainConfig c = GSON.fromJson(Files.readString(file), TrainConfig.class);
            if (c == null) {
                throw new IOException(file + " is empty");
            }
            c.check();
            return c;
        } catch (JsonParseException e) {
            throw new IOException(file.getFileName() + " is not a valid training config: " + e.getMessage(), e);
        }
    }

    public static TrainConfig fromJson(String json) {
        TrainConfig c = GSON.fromJson(json, TrainConfig.class);
        c.check();
        return c;
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    void check() {
        if (crop < 32 || crop % 32 != 0) {
            throw new IllegalArgumentException("crop must be a positive multiple of 32, got " + crop);
        }
        if (batch < 1 || iterations < 1) {
            throw new IllegalArgumentException("batch and iterations must be positive");
        }
        if (ratioMin <= 0 || ratioMax < ratioMin) {
            throw new IllegalArgumentException("ratio range must satisfy 0 < ratioMin <= ratioMax");
        }
        Variant.fromId(variant);
        if (classWeights != null) {
            for (double w : classWeights) {
                if (!(w > 0) || !Double.isFinite(w)) {
                    throw new IllegalArgumentException("classWeights must all be positive numbers, got "
                            + java.util.Arrays.toString(classWeights));
                }
            }
        }
    }

    /** The network config for K classes and a text encoder of {@code embedDim}. */
    public ModelConfig modelConfig(int numClasses, int embedDim) {
        ModelConfig c = ModelConfig.preset(preset, Variant.fromId(variant), embedDim, numClasses);
        if (units > 0 && c.variant().hasUnits()) {
            c = c.withUnits(units);
        }
        if (convExpansion > 0) {
            c = c.withConvExpansion(convExpansion);
        }
        return c.withFpnChannels(neckChannels > 0 ? neckChannels : c.neckChannels(),
                headChannels > 0 ? headChannels : c.headChannels());
    }

    public PolySchedule schedule() {
        return new PolySchedule(lr, minLr, power, iterations, warmupIters, warmupRatio);
    }

    public Augmentation augmentation() {
        return new Augmentation(scaleLong, scaleShort, ratioMin, ratioMax, crop, catMaxRatio);
    }
}

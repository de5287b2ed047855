package org.seglight.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seglight.io.Safetensors;

/**
 * Moves a network's parameters to and from plain tensors under the names of docs/NETWORK.md §5.1, and loads
 * the BatchNorm-folded ImageNet MobileNetV2 into the encoder.
 */
public final class Weights {

    /** Convolutions of MobileNetV2 features.0..17: the stem, two in layer1, three in each of 16 blocks. */
    static final int ENCODER_CONVS = 51;

    /** Every parameter (running statistics included) as plain float tensors, in creation order. */
    public static Map<String, Safetensors.Tensor> export(ParameterSet params) {
        Map<String, Safetensors.Tensor> out = new LinkedHashMap<>();
        for (ParameterSet.Entry e : params.entries().values()) {
            out.put(e.name(), new Safetensors.Tensor(e.array().getShape().getShape(), e.array().toFloatArray()));
        }
        return out;
    }

    /**
     * Loads every parameter from {@code tensors}; refuses missing, unexpected or mis-shaped tensors, naming
     * them.
     */
    public static void load(ParameterSet params, Map<String, Safetensors.Tensor> tensors) {
        List<String> problems = new ArrayList<>();
        for (ParameterSet.Entry e : params.entries().values()) {
            Safetensors.Tensor t = tensors.get(e.name());
            if (t == null) {
                problems.add("missing " + e.name());
            } else if (!e.array().getShape().equals(new Shape(t.shape()))) {
                problems.add(e.name() + " has shape " + new Shape(t.shape()) + ", the network needs "
                        + e.array().getShape());
            }
        }
        for (String name : tensors.keySet()) {
            if (!params.entries().containsKey(name)) {
                problems.add("unexpected " + name);
            }
        }
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 5);
            throw new IllegalArgumentException("The weights do not fit this network (" + problems.size()
                    + " problems): " + String.join("; ", problems.subList(0, shown))
                    + (problems.size() > shown ? "; ..." : ""));
        }
        for (ParameterSet.Entry e : params.entries().values()) {
            e.array().set(tensors.get(e.name()).data());
        }
    }

    /**
     * Warm start: copies every tensor of {@code tensors} whose name and shape the network shares, and leaves
     * the rest as initialised (for example a classifier sized for another number of classes).
     *
     * @return the names left as initialised, in network order
     */
    public static List<String> loadMatching(ParameterSet params, Map<String, Safetensors.Tensor> tensors) {
        List<String> skipped = new ArrayList<>();
        for (ParameterSet.Entry e : params.entries().values()) {
            Safetensors.Tensor t = tensors.get(e.name());
            if (t != null && e.array().getShape().equals(new Shape(t.shape()))) {
                e.array().set(t.data());
            } else {
                skipped.add(e.name());
            }
        }
        return skipped;
    }

    /**
     * Loads the BatchNorm-folded ImageNet weights (../shared/weights/mobilenetv2-imagenet) into the encoder:
     * each conv takes the folded weight, and its BatchNorm becomes the identity plus the folded bias
     * (γ = 1, β = bias, mean 0, var 1 − eps).
     *
     * @return the number of convolutions loaded
     */
    public static int loadImageNetEncoder(ParameterSet params, Path safetensorsFile, float eps) throws IOException {
        Map<String, Safetensors.Tensor> src = Safetensors.read(safetensorsFile).tensors();
        int loaded = 0;
        for (String name : src.keySet()) {
            if (!name.startsWith("features.") || !name.endsWith(".weight") || name.startsWith("features.18.")) {
                continue;
            }
            String conv = name.substring(0, name.length() - ".weight".length()); // features.3.dw
            String prefix = "encoder." + (conv.equals("features.0") ? "features.0" : conv);
            NDArray w = params.get(prefix + ".conv.weight");
            Safetensors.Tensor weight = src.get(name);
            Safetensors.Tensor bias = src.get(conv + ".bias");
            if (!w.getShape().equals(new Shape(weight.shape())) || bias == null) {
                throw new IOException("ImageNet weights do not fit the encoder at " + conv);
            }
            w.set(weight.data());
            float[] ones = new float[bias.data().length];
            java.util.Arrays.fill(ones, 1f);
            float[] var = new float[bias.data().length];
            java.util.Arrays.fill(var, 1f - eps);
            params.get(prefix + ".bn.weight").set(ones);
            params.get(prefix + ".bn.bias").set(bias.data());
            params.get(prefix + ".bn.running_mean").set(new float[bias.data().length]);
            params.get(prefix + ".bn.running_var").set(var);
            loaded++;
        }
        if (loaded != ENCODER_CONVS) {
            throw new IOException("Expected " + ENCODER_CONVS + " encoder convolutions in " + safetensorsFile + ", found " + loaded);
        }
        return loaded;
    }

    private Weights() {}
}

package org.seglight.inference;

import java.util.Locale;

/** Which engine runs inference: ONNX Runtime (the default) or DJL on libtorch (training's engine). */
public enum InferenceEngine {
    ONNX("ONNX Runtime"), PYTORCH("PyTorch (DJL)");

    private final String label;

    InferenceEngine(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static InferenceEngine parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "onnx", "ort", "onnxruntime" -> ONNX;
            case "pytorch", "torch", "djl" -> PYTORCH;
            default -> throw new IllegalArgumentException("Engine must be onnx or pytorch, got '" + s + "'");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

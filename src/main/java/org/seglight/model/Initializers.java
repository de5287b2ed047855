package org.seglight.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** The initialisations docs/NETWORK.md §3.6 names, with PyTorch's fan conventions. */
public final class Initializers {

    public static final ParameterSet.Initializer ZEROS = NDManager::zeros;
    public static final ParameterSet.Initializer ONES = NDManager::ones;

    /** Linear layers: truncated normal, std 0.02 (DenseCLIP {@code ContextDecoder._init_weights}). */
    public static final ParameterSet.Initializer TRUNC_NORMAL_002 = (m, s) -> m.truncatedNormal(0f, 0.02f, s,
            DataType.FLOAT32).clip(-2f, 2f);

    /** The classifier {@code conv_seg}: normal, std 0.01 (mmseg decode head). */
    public static final ParameterSet.Initializer NORMAL_001 = (m, s) -> m.randomNormal(0f, 0.01f, s,
            DataType.FLOAT32);

    /** New convolutions: Kaiming normal, fan out, ReLU gain (torchvision MobileNetV2). */
    public static final ParameterSet.Initializer KAIMING_FAN_OUT = (m, s) -> {
        float std = (float) Math.sqrt(2.0 / (s.get(0) * receptiveField(s)));
        return m.randomNormal(0f, std, s, DataType.FLOAT32);
    };

    /** FPN neck convolutions: Xavier uniform (mmseg FPN {@code init_cfg}). */
    public static final ParameterSet.Initializer XAVIER_UNIFORM = (m, s) -> {
        long rf = receptiveField(s);
        float bound = (float) Math.sqrt(6.0 / (s.get(0) * rf + s.get(1) * rf));
        return m.randomUniform(-bound, bound, s, DataType.FLOAT32);
    };

    /** BatchNorm running variance starts at 1. */
    public static ParameterSet.Initializer constant(float value) {
        return (m, s) -> m.full(s, value, DataType.FLOAT32);
    }

    private static long receptiveField(Shape s) {
        long rf = 1;
        for (int i = 2; i < s.dimension(); i++) {
            rf *= s.get(i);
        }
        return rf;
    }

    private Initializers() {}
}

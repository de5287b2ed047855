package org.seglight.model;

import org.seglight.onnx.OnnxOps;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * MobileNetV2 width 1.0 up to layer7 (docs/NETWORK.md §2), without the 1280-channel last conv, laid out as
 * torchvision's {@code features.0..17} so ImageNet weights map by name.
 */
public final class MobileNetV2Encoder {

    /** Channels of the stride-4, -8, -16 and -32 outputs C2, C3, C4, C5. */
    public static final int[] OUT_CHANNELS = {24, 32, 96, 320};
    public static final int C5_CHANNELS = 320;

    /** (t, c, n, s) per layer, mmseg/torchvision order. */
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}
    };

    /** Indices of {@code features} after which C2, C3, C4 and C5 are taken. */
    private static final int[] OUT_FEATURES = {3, 6, 13, 17};

    private final ConvBnAct stem;
    private final List<InvertedResidual> blocks = new ArrayList<>();

    public MobileNetV2Encoder(ParameterSet.Scope scope, float eps, float momentum) {
        ParameterSet.Scope features = scope.child("features");
        this.stem = new ConvBnAct(features.child(0), 3, 32, 3, 2, 1, ConvBnAct.Act.RELU6, eps, momentum);
        int in = 32;
        int index = 1;
        for (int[] s : SETTINGS) {
            for (int i = 0; i < s[2]; i++) {
                blocks.add(new InvertedResidual(features.child(index++), in, s[1], s[0], i == 0 ? s[3] : 1, eps,
                        momentum));
                in = s[1];
            }
        }
    }

    /**
     * Runs the encoder.
     *
     * @param x normalised image (B, 3, H, W), H and W multiples of 32
     * @return C2 (B,24,H/4,W/4), C3 (B,32,H/8,W/8), C4 (B,96,H/16,W/16), C5 (B,320,H/32,W/32)
     */
    public NDArray[] forward(NDArray x, boolean training) {
        NDArray[] outs = new NDArray[4];
        NDArray h = stem.forward(x, training);
        int next = 0;
        for (int i = 0; i < blocks.size(); i++) {
            h = blocks.get(i).forward(h, training);
            if (i + 1 == OUT_FEATURES[next]) {
                outs[next++] = h;
            }
        }
        return outs;
    }

    /** The same encoder as ONNX nodes: C2, C3, C4, C5. */
    public String[] onnx(OnnxOps o, String x) {
        String[] outs = new String[4];
        String h = stem.onnx(o, x);
        int next = 0;
        for (int i = 0; i < blocks.size(); i++) {
            h = blocks.get(i).onnx(o, h);
            if (i + 1 == OUT_FEATURES[next]) {
                outs[next++] = h;
            }
        }
        return outs;
    }
}

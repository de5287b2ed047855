package org.seglight.model;

import org.seglight.onnx.OnnxOps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The Semantic FPN head (docs/NETWORK.md §3.6, mmseg {@code FPNHead}): per level, ConvModules with ×2
 * bilinear upsampling down to stride 4, summed, then Dropout2d and the 1×1 classifier.
 */
public final class FpnHead {

    private final List<List<ConvBnAct>> scaleHeads = new ArrayList<>();
    private final NDArray clsW;
    private final NDArray clsB;
    private final float dropout;

    public FpnHead(ParameterSet.Scope scope, int levels, int inChannels, int channels, int numClasses,
            float dropout, float eps, float momentum) {
        for (int i = 0; i < levels; i++) {
            List<ConvBnAct> convs = new ArrayList<>();
            int length = Math.max(1, i);
            for (int j = 0; j < length; j++) {
                convs.add(new ConvBnAct(scope.child("scale_heads").child(i).child(j), j == 0 ? inChannels : channels,
                        channels, 3, 1, 1, ConvBnAct.Act.RELU, eps, momentum));
            }
            scaleHeads.add(convs);
        }
        ParameterSet.Scope cls = scope.child("cls");
        this.clsW = cls.weight(new Shape(numClasses, channels, 1, 1), Initializers.NORMAL_001);
        this.clsB = cls.zeroBias(numClasses);
        this.dropout = dropout;
    }

    /** @param p P_i (B, Cin, H_i, W_i), finest first @return logits (B, K, H_0, W_0) */
    public NDArray forward(NDArray[] p, boolean training) {
        NDArray sum = null;
        for (int i = 0; i < scaleHeads.size(); i++) {
            NDArray h = p[i];
            for (ConvBnAct conv : scaleHeads.get(i)) {
                h = conv.forward(h, training);
                if (i > 0) {
                    Shape s = h.getShape();
                    h = Ops.resizeBilinear(h, s.get(2) * 2, s.get(3) * 2);
                }
            }
            if (sum == null) {
                sum = h;
            } else {
                Shape s = sum.getShape();
                sum = sum.add(Ops.resizeBilinear(h, s.get(2), s.get(3)));
            }
        }
        NDArray dropped = Ops.dropout2d(sum, dropout, training);
        try (var ignored = Complexity.scope("classifier")) {
            return Ops.conv2d(dropped, clsW, clsB, 1, 0, 1);
        }
    }

    /**
     * The same head as ONNX nodes (inference: no dropout). Each level arrives at P2's size after its ×2
     * steps, so the resize before the sum is the identity and left out.
     */
    public String onnx(OnnxOps o, String[] p) {
        String sum = null;
        for (int i = 0; i < scaleHeads.size(); i++) {
            String h = p[i];
            for (ConvBnAct conv : scaleHeads.get(i)) {
                h = conv.onnx(o, h);
                if (i > 0) {
                    h = o.upBilinear(h, 2f);
                }
            }
            sum = sum == null ? h : o.add(sum, h);
        }
        return o.conv2d(sum, clsW, clsB, 1, 0, 1);
    }
}

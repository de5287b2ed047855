package org.seglight.model;

import org.seglight.onnx.OnnxOps;

import ai.djl.ndarray.NDArray;

/**
 * MobileNetV2's inverted residual (docs/NETWORK.md §3.1): 1×1 expand, 3×3 depthwise, linear 1×1 projection,
 * with the identity shortcut when the stride is 1 and the channels match. Used by the encoder and by the
 * Conv-Former unit's Conv block.
 */
public final class InvertedResidual {

    private final ConvBnAct expand;
    private final ConvBnAct dw;
    private final ConvBnAct project;
    private final boolean residual;

    public InvertedResidual(ParameterSet.Scope scope, int in, int out, int expansion, int stride, float eps,
            float momentum) {
        int hidden = in * expansion;
        this.expand = expansion == 1 ? null
                : new ConvBnAct(scope.child("expand"), in, hidden, 1, 1, 1, ConvBnAct.Act.RELU6, eps, momentum);
        this.dw = new ConvBnAct(scope.child("dw"), hidden, hidden, 3, stride, hidden, ConvBnAct.Act.RELU6, eps,
                momentum);
        this.project = new ConvBnAct(scope.child("project"), hidden, out, 1, 1, 1, ConvBnAct.Act.NONE, eps,
                momentum);
        this.residual = stride == 1 && in == out;
    }

    public NDArray forward(NDArray x, boolean training) {
        NDArray h = expand == null ? x : expand.forward(x, training); // (B, t·Cin, H, W)
        h = dw.forward(h, training);                                    // (B, t·Cin, H/s, W/s)
        h = project.forward(h, training);                               // (B, Cout, H/s, W/s)
        return residual ? x.add(h) : h;
    }

    public String onnx(OnnxOps o, String x) {
        String h = expand == null ? x : expand.onnx(o, x);
        h = project.onnx(o, dw.onnx(o, h));
        return residual ? o.add(x, h) : h;
    }
}

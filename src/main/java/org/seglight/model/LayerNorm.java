package org.seglight.model;

import org.seglight.onnx.OnnxOps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** LayerNorm over the last axis, weight 1 and bias 0 at start. */
public final class LayerNorm {

    private final NDArray gamma;
    private final NDArray beta;
    private final float eps;

    public LayerNorm(ParameterSet.Scope scope, int dim, float eps) {
        this.gamma = scope.create("weight", ParameterSet.Role.LN_WEIGHT, new Shape(dim), Initializers.ONES);
        this.beta = scope.create("bias", ParameterSet.Role.LN_BIAS, new Shape(dim), Initializers.ZEROS);
        this.eps = eps;
    }

    public NDArray forward(NDArray x) {
        return Ops.layerNorm(x, gamma, beta, eps);
    }

    public String onnx(OnnxOps o, String x) {
        return o.layerNorm(x, gamma, beta, eps);
    }
}

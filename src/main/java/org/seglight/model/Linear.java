package org.seglight.model;

import org.seglight.onnx.OnnxOps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** A linear layer on the last axis, truncated-normal initialised (docs/NETWORK.md §3.6). */
public final class Linear {

    private final NDArray weight;
    private final NDArray bias;

    public Linear(ParameterSet.Scope scope, int in, int out) {
        this.weight = scope.weight(new Shape(out, in), Initializers.TRUNC_NORMAL_002);
        this.bias = scope.zeroBias(out);
    }

    public NDArray forward(NDArray x) {
        return Ops.linear(x, weight, bias);
    }

    public String onnx(OnnxOps o, String x) {
        return o.linear(x, weight, bias);
    }
}

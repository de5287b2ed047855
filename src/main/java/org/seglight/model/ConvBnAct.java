package org.seglight.model;

import org.seglight.onnx.OnnxOps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.UnaryOperator;

/**
 * Convolution without bias, BatchNorm, then an activation (or none): the ConvModule of mmseg and the
 * conv layers of MobileNetV2.
 */
public final class ConvBnAct {

    /** The activations this block supports. */
    public enum Act {
        NONE(x -> x), RELU(Ops::relu), RELU6(Ops::relu6);

        private final UnaryOperator<NDArray> fn;

        Act(UnaryOperator<NDArray> fn) {
            this.fn = fn;
        }
    }

    private final NDArray weight;
    private final NDArray gamma;
    private final NDArray beta;
    private final NDArray runningMean;
    private final NDArray runningVar;
    private final int stride;
    private final int padding;
    private final int groups;
    private final Act act;
    private final float eps;
    private final float momentum;

    /**
     * Creates {@code conv.weight} and {@code bn.*} under the scope.
     *
     * @param kernel square kernel size; padding is kernel / 2
     */
    public ConvBnAct(ParameterSet.Scope scope, int in, int out, int kernel, int stride, int groups, Act act,
            float eps, float momentum) {
        this.weight = scope.child("conv").weight(new Shape(out, in / groups, kernel, kernel),
                Initializers.KAIMING_FAN_OUT);
        ParameterSet.Scope bn = scope.child("bn");
        this.gamma = bn.create("weight", ParameterSet.Role.BN_WEIGHT, new Shape(out), Initializers.ONES);
        this.beta = bn.create("bias", ParameterSet.Role.BN_BIAS, new Shape(out), Initializers.ZEROS);
        this.runningMean = bn.create("running_mean", ParameterSet.Role.RUNNING_MEAN, new Shape(out),
                Initializers.ZEROS);
        this.runningVar = bn.create("running_var", ParameterSet.Role.RUNNING_VAR, new Shape(out),
                Initializers.ONES);
        this.stride = stride;
        this.padding = kernel / 2;
        this.groups = groups;
        this.act = act;
        this.eps = eps;
        this.momentum = momentum;
    }

    public NDArray forward(NDArray x, boolean training) {
        NDArray y = Ops.conv2d(x, weight, null, stride, padding, groups);
        y = Ops.batchNorm(y, gamma, beta, runningMean, runningVar, eps, momentum, training);
        return act.fn.apply(y);
    }

    /** The same block as ONNX nodes (inference: BatchNorm with its running statistics). */
    public String onnx(OnnxOps o, String x) {
        String y = o.batchNorm(o.conv2d(x, weight, null, stride, padding, groups), gamma, beta, runningMean,
                runningVar, eps);
        return switch (act) {
            case NONE -> y;
            case RELU -> o.relu(y);
            case RELU6 -> o.relu6(y);
        };
    }
}

package org.seglight.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The tensor operations the network is written in, each counting its multiply-accumulates into
 * {@link Complexity} when a count is running.
 *
 * <p>Every op takes the data tensor first, so its result lives in the data's (per-call) manager and never
 * in the model's.
 */
public final class Ops {

    /** 2-D convolution; weight (Cout, Cin/groups, kh, kw); bias may be null. */
    public static NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding, int groups) {
        NDArray y = x.getNDArrayInternal()
                .convolution(x, weight, bias, new Shape(stride, stride), new Shape(padding, padding),
                        new Shape(1, 1), groups)
                .singletonOrThrow();
        Shape w = weight.getShape();
        Complexity.add(y.size() * w.get(1) * w.get(2) * w.get(3));
        return y;
    }

    /** Linear layer on the last axis; weight (out, in). */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        NDArray y = x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
        Complexity.add(y.size() * weight.getShape().get(1));
        return y;
    }

    /** Batched matrix product (a @ b) with broadcasting. */
    public static NDArray matMul(NDArray a, NDArray b) {
        NDArray y = a.matMul(b);
        Complexity.add(y.size() * a.getShape().get(a.getShape().dimension() - 1));
        return y;
    }

    /** BatchNorm over axis 1; updates the running statistics in place when training. */
    public static NDArray batchNorm(NDArray x, NDArray gamma, NDArray beta, NDArray runningMean,
            NDArray runningVar, float eps, float torchMomentum, boolean training) {
        // DJL's momentum is PyTorch's 1 - m.
        return x.getNDArrayInternal()
                .batchNorm(x, runningMean, runningVar, gamma, beta, 1, 1f - torchMomentum, eps, training)
                .singletonOrThrow();
    }

    /** LayerNorm over the last axis. */
    public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, float eps) {
        Shape s = x.getShape();
        return x.getNDArrayInternal()
                .layerNorm(x, new Shape(s.get(s.dimension() - 1)), gamma, beta, eps)
                .singletonOrThrow();
    }

    public static NDArray relu6(NDArray x) {
        return x.clip(0f, 6f);
    }

    public static NDArray relu(NDArray x) {
        return x.getNDArrayInternal().relu();
    }

    /** The exact (erf) GELU, PyTorch's default. */
    public static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    /** Nearest-neighbour resize of an NCHW tensor to (h, w). */
    public static NDArray resizeNearest(NDArray x, long h, long w) {
        return x.getNDArrayInternal().interpolation(new long[] {h, w}, 0, false);
    }

    /** Bilinear resize of an NCHW tensor to (h, w), align_corners=False. */
    public static NDArray resizeBilinear(NDArray x, long h, long w) {
        Shape s = x.getShape();
        if (s.get(2) == h && s.get(3) == w) {
            return x;
        }
        return x.getNDArrayInternal().interpolation(new long[] {h, w}, 1, false);
    }

    /**
     * x / max(‖x‖₂ over {@code axis}, 1e-12), as {@code F.normalize}. The clamp is taken before the square
     * root (same values): clamping after it sends 0 × ∞ = NaN back through the root when a vector is exactly
     * zero, which stopped a CamVid run at iteration 3676.
     */
    public static NDArray l2Normalize(NDArray x, int axis) {
        NDArray norm = x.square().sum(new int[] {axis}, true).maximum(1e-24f).sqrt();
        return x.div(norm);
    }

    /** Channel-wise dropout (Dropout2d): one Bernoulli(1-p) draw per (sample, channel), scaled by 1/(1-p). */
    public static NDArray dropout2d(NDArray x, float p, boolean training) {
        if (!training || p <= 0f) {
            return x;
        }
        Shape s = x.getShape();
        NDArray keep = x.getManager()
                .randomUniform(0f, 1f, new Shape(s.get(0), s.get(1), 1, 1), DataType.FLOAT32)
                .gte(p)
                .toType(DataType.FLOAT32, false)
                .div(1f - p);
        return x.mul(keep);
    }

    private Ops() {}
}

package org.seglight.onnx;

import ai.djl.ndarray.NDArray;

/**
 * The operations the network is written in, as ONNX nodes with the semantics of the PyTorch calls in
 * {@code model.Ops}: each takes the data value first and returns the name of its result.
 */
public final class OnnxOps {

    private final OnnxGraph g;

    public OnnxOps(OnnxGraph graph) {
        this.g = graph;
    }

    public OnnxGraph graph() {
        return g;
    }

    /** 2-D convolution; weight (Cout, Cin/groups, k, k); bias may be null. */
    public String conv2d(String x, NDArray weight, NDArray bias, int stride, int padding, int groups) {
        long k = weight.getShape().get(2);
        OnnxGraph.Node n = g.node("Conv").in(x, g.weight(weight));
        if (bias != null) {
            n.in(g.weight(bias));
        }
        return n.attrs("kernel_shape", k, k).attrs("strides", stride, stride)
                .attrs("pads", padding, padding, padding, padding).attr("group", groups).out();
    }

    /** BatchNorm over axis 1 with the running statistics (inference). */
    public String batchNorm(String x, NDArray gamma, NDArray beta, NDArray mean, NDArray var, float eps) {
        return g.node("BatchNormalization").in(x, g.weight(gamma), g.weight(beta), g.weight(mean), g.weight(var))
                .attr("epsilon", eps).out();
    }

    /** x @ Wᵀ + b on the last axis; weight (out, in), stored transposed. */
    public String linear(String x, NDArray weight, NDArray bias) {
        long out = weight.getShape().get(0);
        long in = weight.getShape().get(1);
        float[] w = weight.toFloatArray();
        float[] t = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i * (int) out + o] = w[o * (int) in + i];
            }
        }
        String wt = g.floats(weight.getName() + ".T", t, in, out);
        String y = g.node("MatMul").in(x, wt).out();
        return bias == null ? y : add(y, g.weight(bias));
    }

    public String layerNorm(String x, NDArray gamma, NDArray beta, float eps) {
        return g.node("LayerNormalization").in(x, g.weight(gamma), g.weight(beta)).attr("axis", -1L)
                .attr("epsilon", eps).out();
    }

    public String relu(String x) {
        return g.node("Relu").in(x).out();
    }

    public String relu6(String x) {
        return g.node("Clip").in(x, g.scalar(0f), g.scalar(6f)).out();
    }

    /** The exact GELU, 0.5·x·(1 + erf(x/√2)). */
    public String gelu(String x) {
        String e = g.node("Erf").in(g.node("Div").in(x, g.scalar((float) Math.sqrt(2))).out()).out();
        String h = g.node("Mul").in(x, g.node("Add").in(e, g.scalar(1f)).out()).out();
        return g.node("Mul").in(h, g.scalar(0.5f)).out();
    }

    public String add(String a, String b) {
        return g.node("Add").in(a, b).out();
    }

    public String div(String a, float b) {
        return g.node("Div").in(a, g.scalar(b)).out();
    }

    public String div(String a, String b) {
        return g.node("Div").in(a, b).out();
    }

    public String matMul(String a, String b) {
        return g.node("MatMul").in(a, b).out();
    }

    public String softmax(String x, long axis) {
        return g.node("Softmax").in(x).attr("axis", axis).out();
    }

    public String transpose(String x, long... perm) {
        return g.node("Transpose").in(x).attrs("perm", perm).out();
    }

    /** Reshape to a fixed target where 0 copies the input's dimension and -1 is inferred. */
    public String reshape(String x, long... shape) {
        return g.node("Reshape").in(x, g.ints(shape)).out();
    }

    /** Reshape to a shape given as a value (an int64 vector). */
    public String reshapeTo(String x, String shape) {
        return g.node("Reshape").in(x, shape).out();
    }

    /** The dimensions [start, end) of x's shape as an int64 vector. */
    public String shape(String x, long start, long end) {
        return g.node("Shape").in(x).attr("start", start).attr("end", end).out();
    }

    /** The dimensions from start on of x's shape. */
    public String shape(String x, long start) {
        return g.node("Shape").in(x).attr("start", start).out();
    }

    public String shape(String x) {
        return g.node("Shape").in(x).out();
    }

    public String concat(long axis, String... values) {
        return g.node("Concat").in(values).attr("axis", axis).out();
    }

    /** One dimension of x as a float scalar-like (1-element) value. */
    public String dimAsFloat(String x, long axis) {
        return g.node("Cast").in(shape(x, axis, axis + 1)).attr("to", (long) OnnxGraph.FLOAT).out();
    }

    /** Nearest-neighbour ×factor of an NCHW tensor, PyTorch's {@code mode='nearest'}. */
    public String upNearest(String x, float factor) {
        return g.node("Resize").in(x, "", g.floats(g.freshName("scales"), new float[] {1, 1, factor, factor}, 4))
                .attr("mode", "nearest").attr("coordinate_transformation_mode", "asymmetric")
                .attr("nearest_mode", "floor").out();
    }

    /** Bilinear ×factor of an NCHW tensor, PyTorch's {@code align_corners=False}. */
    public String upBilinear(String x, float factor) {
        return g.node("Resize").in(x, "", g.floats(g.freshName("scales"), new float[] {1, 1, factor, factor}, 4))
                .attr("mode", "linear").attr("coordinate_transformation_mode", "half_pixel").out();
    }

    /** x / max(‖x‖₂ over axis, 1e-12), as {@code model.Ops.l2Normalize}. */
    public String l2Normalize(String x, long axis) {
        String sq = g.node("ReduceSumSquare").in(x).attrs("axes", axis).attr("keepdims", 1L).out();
        String norm = g.node("Sqrt").in(g.node("Max").in(sq, g.scalar(1e-24f)).out()).out();
        return g.node("Div").in(x, norm).out();
    }
}

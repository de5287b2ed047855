package org.seglight.model;

import org.seglight.onnx.OnnxOps;

import ai.djl.ndarray.NDArray;

/**
 * One Conv-Former unit (docs/NETWORK.md §3.3): Conv2Former, then the Former and the Conv block side by side,
 * then Former2Conv, in the order of Mobile-Former's {@code DnaBlock.forward}.
 */
public final class ConvFormerUnit {

    private final Conv2Former c2f;
    private final Former former;
    private final InvertedResidual conv;
    private final Former2Conv f2c;
    private final int dim;

    public ConvFormerUnit(ParameterSet.Scope scope, ModelConfig config) {
        boolean dot = config.variant() == Variant.CONVFORMER_DOT;
        int c = config.embedDim();
        this.dim = c;
        this.c2f = new Conv2Former(scope.child("c2f"), c, config.bridgeHeads(), config.normEps(), dot);
        this.former = new Former(scope.child("former"), c, config.formerHeads(), config.ffnRatio(),
                config.normEps());
        this.conv = new InvertedResidual(scope.child("conv"), c, c, config.convExpansion(), 1, config.normEps(),
                config.bnMomentum());
        this.f2c = new Former2Conv(scope.child("f2c"), c, config.bridgeHeads(), dot);
    }

    /**
     * @param image I (B, C, H, W)
     * @param text T (B, K, C)
     * @return I (B, C, H, W), T (B, K, C), A_c2f (B, h, K, N), A_f2c (B, h, N, K)
     */
    public NDArray[] forward(NDArray image, NDArray text, boolean training) {
        NDArray[] tokens;
        try (var ignored = Complexity.scope("c2f")) {
            tokens = c2f.forward(image, text);
        }
        NDArray t;
        try (var ignored = Complexity.scope("former")) {
            t = former.forward(tokens[0]);
        }
        NDArray i;
        try (var ignored = Complexity.scope("conv")) {
            i = conv.forward(image, training);
        }
        NDArray[] pixels;
        try (var ignored = Complexity.scope("f2c")) {
            pixels = f2c.forward(i, t);
        }
        return new NDArray[] {pixels[0], t, tokens[1], pixels[1]};
    }

    /** The same unit as ONNX nodes: I, T, A_c2f, A_f2c. */
    public String[] onnx(OnnxOps o, String image, String text) {
        String[] tokens = c2f.onnx(o, image, text, dim);
        String t = former.onnx(o, tokens[0], dim);
        String i = conv.onnx(o, image);
        String[] pixels = f2c.onnx(o, i, t, dim);
        return new String[] {pixels[0], t, tokens[1], pixels[1]};
    }
}

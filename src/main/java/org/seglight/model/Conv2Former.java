package org.seglight.model;

import org.seglight.onnx.OnnxOps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The image → text half of the bridge (docs/NETWORK.md §3.3 a): each text token queries the pixels, which
 * serve raw as keys and values, then a projection and a post-LayerNorm residual update the tokens.
 *
 * <p>In the {@code dot} ablation the softmax attention and both projections are replaced by the plain
 * inner product ⟨T_k, I_n⟩/√d, averaged over the N pixels so its scale does not grow with the image.
 */
public final class Conv2Former {

    private final Linear q;
    private final Linear o;
    private final LayerNorm ln;
    private final int heads;
    private final boolean dot;

    public Conv2Former(ParameterSet.Scope scope, int dim, int heads, float eps, boolean dot) {
        this.q = dot ? null : new Linear(scope.child("q"), dim, dim);
        this.o = dot ? null : new Linear(scope.child("o"), dim, dim);
        this.ln = new LayerNorm(scope.child("ln"), dim, eps);
        this.heads = heads;
        this.dot = dot;
    }

    /**
     * @param image I (B, C, H, W)
     * @param text T (B, K, C)
     * @return the new T (B, K, C) and the attention A_c2f (B, h, K, N)
     */
    public NDArray[] forward(NDArray image, NDArray text) {
        Shape s = image.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long n = s.get(2) * s.get(3);
        long k = text.getShape().get(1);
        long d = c / heads;
        NDArray xh = image.reshape(b, heads, d, n);                                 // (B, h, d, N)
        NDArray query = dot ? text : q.forward(text);                               // (B, K, C)
        query = query.reshape(b, k, heads, d).transpose(0, 2, 1, 3);                // (B, h, K, d)
        NDArray logits = Ops.matMul(query, xh).div((float) Math.sqrt(d));           // (B, h, K, N)
        NDArray attn = dot ? logits.div((float) n) : logits.softmax(-1);            // (B, h, K, N)
        NDArray z = Ops.matMul(attn, xh.transpose(0, 1, 3, 2))                      // (B, h, K, d)
                .transpose(0, 2, 1, 3)
                .reshape(b, k, c);                                                  // (B, K, C)
        NDArray update = dot ? z : o.forward(z);
        return new NDArray[] {ln.forward(text.add(update)), attn};
    }

    /** The same as ONNX nodes, with H, W and K dynamic: the new T and A_c2f. */
    public String[] onnx(OnnxOps ops, String image, String text, int dim) {
        long d = dim / heads;
        String xh = ops.reshape(image, 0, heads, d, -1);                                    // (B, h, d, N)
        String query = dot ? text : q.onnx(ops, text);                                      // (B, K, C)
        query = ops.transpose(ops.reshape(query, 0, 0, heads, d), 0, 2, 1, 3);                // (B, h, K, d)
        String logits = ops.div(ops.matMul(query, xh), (float) Math.sqrt(d));                // (B, h, K, N)
        String attn = dot ? ops.div(logits, ops.dimAsFloat(xh, 3)) : ops.softmax(logits, -1);
        String z = ops.reshape(ops.transpose(ops.matMul(attn, ops.transpose(xh, 0, 1, 3, 2)), 0, 2, 1, 3), 0, 0, -1);
        String update = dot ? z : o.onnx(ops, z);
        return new String[] {ln.onnx(ops, ops.add(text, update)), attn};
    }
}

package org.seglight.model;

import org.seglight.onnx.OnnxOps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The text → image half of the bridge (docs/NETWORK.md §3.3 d): each pixel, raw, queries the projected
 * text tokens and adds what it reads back to itself, with no output projection and no norm.
 *
 * <p>In the {@code dot} ablation the softmax and the W^K, W^V projections are replaced by the inner product
 * ⟨I_n, T_k⟩/√d averaged over the K tokens, and the raw tokens are read back.
 */
public final class Former2Conv {

    private final Linear k;
    private final Linear v;
    private final int heads;
    private final boolean dot;

    public Former2Conv(ParameterSet.Scope scope, int dim, int heads, boolean dot) {
        this.k = dot ? null : new Linear(scope.child("k"), dim, dim);
        this.v = dot ? null : new Linear(scope.child("v"), dim, dim);
        this.heads = heads;
        this.dot = dot;
    }

    /**
     * @param image I (B, C, H, W)
     * @param text T (B, K, C)
     * @return the new I (B, C, H, W) and the attention A_f2c (B, h, N, K)
     */
    public NDArray[] forward(NDArray image, NDArray text) {
        Shape s = image.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long n = s.get(2) * s.get(3);
        long kk = text.getShape().get(1);
        long d = c / heads;
        NDArray qp = image.reshape(b, heads, d, n).transpose(0, 1, 3, 2);                       // (B, h, N, d)
        NDArray kt = (dot ? text : k.forward(text)).reshape(b, kk, heads, d).transpose(0, 2, 3, 1); // (B, h, d, K)
        NDArray vt = (dot ? text : v.forward(text)).reshape(b, kk, heads, d).transpose(0, 2, 1, 3); // (B, h, K, d)
        NDArray logits = Ops.matMul(qp, kt).div((float) Math.sqrt(d));                         // (B, h, N, K)
        NDArray attn = dot ? logits.div((float) kk) : logits.softmax(-1);                      // (B, h, N, K)
        NDArray injected = Ops.matMul(attn, vt)                                                 // (B, h, N, d)
                .transpose(0, 1, 3, 2)
                .reshape(s);                                                                    // (B, C, H, W)
        return new NDArray[] {image.add(injected), attn};
    }

    /** The same as ONNX nodes: the new I and A_f2c. */
    public String[] onnx(OnnxOps o, String image, String text, int dim) {
        long d = dim / heads;
        String qp = o.transpose(o.reshape(image, 0, heads, d, -1), 0, 1, 3, 2);                  // (B, h, N, d)
        String kt = o.transpose(o.reshape(dot ? text : k.onnx(o, text), 0, 0, heads, d), 0, 2, 3, 1);
        String vt = o.transpose(o.reshape(dot ? text : v.onnx(o, text), 0, 0, heads, d), 0, 2, 1, 3);
        String logits = o.div(o.matMul(qp, kt), (float) Math.sqrt(d));                         // (B, h, N, K)
        String attn = dot ? o.div(logits, o.dimAsFloat(text, 1)) : o.softmax(logits, -1);
        String injected = o.reshapeTo(o.transpose(o.matMul(attn, vt), 0, 1, 3, 2), o.shape(image));
        return new String[] {o.add(image, injected), attn};
    }
}

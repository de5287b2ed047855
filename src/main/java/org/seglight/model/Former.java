package org.seglight.model;

import org.seglight.onnx.OnnxOps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A standard post-LN transformer block on the K text tokens (docs/NETWORK.md §3.3 b): multi-head
 * self-attention with full W^Q, W^K, W^V, W^O, then a GELU feed-forward network.
 */
public final class Former {

    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear o;
    private final LayerNorm ln1;
    private final Linear fc1;
    private final Linear fc2;
    private final LayerNorm ln2;
    private final int heads;

    public Former(ParameterSet.Scope scope, int dim, int heads, int ffnRatio, float eps) {
        ParameterSet.Scope attn = scope.child("attn");
        this.q = new Linear(attn.child("q"), dim, dim);
        this.k = new Linear(attn.child("k"), dim, dim);
        this.v = new Linear(attn.child("v"), dim, dim);
        this.o = new Linear(attn.child("o"), dim, dim);
        this.ln1 = new LayerNorm(scope.child("ln1"), dim, eps);
        ParameterSet.Scope ffn = scope.child("ffn");
        this.fc1 = new Linear(ffn.child("fc1"), dim, dim * ffnRatio);
        this.fc2 = new Linear(ffn.child("fc2"), dim * ffnRatio, dim);
        this.ln2 = new LayerNorm(scope.child("ln2"), dim, eps);
        this.heads = heads;
    }

    /** @param text T (B, K, C) @return T (B, K, C) */
    public NDArray forward(NDArray text) {
        Shape s = text.getShape();
        long b = s.get(0);
        long kk = s.get(1);
        long c = s.get(2);
        long d = c / heads;
        NDArray qh = q.forward(text).reshape(b, kk, heads, d).transpose(0, 2, 1, 3);   // (B, h, K, d)
        NDArray kh = k.forward(text).reshape(b, kk, heads, d).transpose(0, 2, 3, 1);   // (B, h, d, K)
        NDArray vh = v.forward(text).reshape(b, kk, heads, d).transpose(0, 2, 1, 3);   // (B, h, K, d)
        NDArray attn = Ops.matMul(qh, kh).div((float) Math.sqrt(d)).softmax(-1);        // (B, h, K, K)
        NDArray mixed = Ops.matMul(attn, vh).transpose(0, 2, 1, 3).reshape(b, kk, c);   // (B, K, C)
        NDArray t = ln1.forward(text.add(o.forward(mixed)));
        NDArray ffn = fc2.forward(Ops.gelu(fc1.forward(t)));                           // (B, K, C)
        return ln2.forward(t.add(ffn));
    }

    public String onnx(OnnxOps ops, String text, int dim) {
        long d = dim / heads;
        String qh = ops.transpose(ops.reshape(q.onnx(ops, text), 0, 0, heads, d), 0, 2, 1, 3);
        String kh = ops.transpose(ops.reshape(k.onnx(ops, text), 0, 0, heads, d), 0, 2, 3, 1);
        String vh = ops.transpose(ops.reshape(v.onnx(ops, text), 0, 0, heads, d), 0, 2, 1, 3);
        String attn = ops.softmax(ops.div(ops.matMul(qh, kh), (float) Math.sqrt(d)), -1);
        String mixed = ops.reshape(ops.transpose(ops.matMul(attn, vh), 0, 2, 1, 3), 0, 0, -1);
        String t = ln1.onnx(ops, ops.add(text, o.onnx(ops, mixed)));
        String ffn = fc2.onnx(ops, ops.gelu(fc1.onnx(ops, t)));
        return ln2.onnx(ops, ops.add(t, ffn));
    }
}

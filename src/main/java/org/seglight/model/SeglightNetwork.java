package org.seglight.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.seglight.onnx.OnnxOps;

/**
 * The whole Seglight network of docs/NETWORK.md: MobileNetV2 encoder, image projection, Conv-Former stack with
 * its outer residual, score maps, Semantic FPN neck and head, switched between the variants of §0 by its config.
 *
 * <p>The forward is split at the image/text boundary ({@link #encode} then {@link #decode}) so that callers
 * can cache what depends on the image alone.
 */
public final class SeglightNetwork implements AutoCloseable {

    private final ModelConfig config;
    private final ParameterSet params;
    private final MobileNetV2Encoder encoder;
    private final NDArray projW;
    private final NDArray projB;
    private final List<ConvFormerUnit> units = new ArrayList<>();
    private final SemanticFpnNeck neck;
    private final FpnHead head;

    /**
     * Builds the network with freshly initialised parameters.
     *
     * @param manager a manager this network takes ownership of; closed with the network
     */
    public SeglightNetwork(ModelConfig config, NDManager manager) {
        this.config = config;
        this.params = new ParameterSet(manager);
        ParameterSet.Scope root = params.scope("");
        this.encoder = new MobileNetV2Encoder(root.child("encoder"), config.normEps(), config.bnMomentum());
        if (config.variant().usesText()) {
            ParameterSet.Scope proj = root.child("proj");
            this.projW = proj.weight(new Shape(config.embedDim(), MobileNetV2Encoder.C5_CHANNELS, 1, 1),
                    Initializers.KAIMING_FAN_OUT);
            this.projB = proj.zeroBias(config.embedDim());
        } else {
            this.projW = null;
            this.projB = null;
        }
        for (int u = 0; u < config.units(); u++) {
            units.add(new ConvFormerUnit(root.child("units").child(u), config));
        }
        int[] in = {MobileNetV2Encoder.OUT_CHANNELS[0], MobileNetV2Encoder.OUT_CHANNELS[1],
            MobileNetV2Encoder.OUT_CHANNELS[2], config.fusedChannels()};
        this.neck = new SemanticFpnNeck(root.child("neck"), in, config.neckChannels());
        this.head = new FpnHead(root.child("head"), in.length, config.neckChannels(), config.headChannels(),
                config.numClasses(), config.dropout(), config.normEps(), config.bnMomentum());
    }

    public ModelConfig config() {
        return config;
    }

    public ParameterSet parameters() {
        return params;
    }

    /**
     * Runs what depends on the image alone.
     *
     * @param image normalised (B, 3, H, W), H and W multiples of 32
     */
    public EncoderFeatures encode(NDArray image, boolean training) {
        return project(backbone(image, training));
    }

    /**
     * The MobileNetV2 part of {@link #encode}: C2, C3, C4, C5. Learning with a frozen encoder caches these and
     * trains {@link #project} onwards.
     */
    public NDArray[] backbone(NDArray image, boolean training) {
        Shape s = image.getShape();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) % 32 != 0 || s.get(3) % 32 != 0) {
            throw new IllegalArgumentException("Image tensor must be (B, 3, H, W) with H and W multiples of 32, got "
                    + s);
        }
        try (var ignored = Complexity.scope("backbone")) {
            return encoder.forward(image, training);
        }
    }

    /** The rest of {@link #encode}: the projection of C5 to the text width (none for the fpn variant). */
    public EncoderFeatures project(NDArray[] c) {
        NDArray top = c[3];
        if (projW != null) {
            try (var ignored = Complexity.scope("projection")) {
                top = Ops.conv2d(c[3], projW, projB, 1, 0, 1); // (B, C, h, w)
            }
        }
        return new EncoderFeatures(c[0], c[1], c[2], top);
    }

    /**
     * Runs what depends on the text: fusion, score maps, FPN.
     *
     * @param features the output of {@link #encode}
     * @param text T₀ (K, C), or null for the fpn variant
     * @param visuals also compute S₀ for display
     */
    public NetworkOutput decode(EncoderFeatures features, NDArray text, boolean training, boolean visuals) {
        NDArray i0 = features.top();
        long b = i0.getShape().get(0);
        NDArray s0 = null;
        NDArray s = null;
        List<NDArray> c2f = new ArrayList<>();
        List<NDArray> f2c = new ArrayList<>();
        NDArray fused;
        if (!config.variant().usesText()) {
            fused = i0;
        } else {
            checkText(text);
            NDArray t0 = text.broadcast(new Shape(b, config.numClasses(), config.embedDim())); // (B, K, C)
            if (config.variant() == Variant.DENSECLIP) {
                try (var ignored = Complexity.scope("score map")) {
                    s0 = scoreMap(i0, t0);
                }
                s = s0;
                fused = i0.concat(s0, 1); // (B, C+K, h, w)
            } else {
                NDArray i = i0;
                NDArray t = t0;
                for (int u = 0; u < units.size(); u++) {
                    try (var ignored = Complexity.scope("units/" + (u + 1))) {
                        NDArray[] out = units.get(u).forward(i, t, training);
                        i = out[0];
                        t = out[1];
                        c2f.add(out[2]);
                        f2c.add(out[3]);
                    }
                }
                NDArray iPrime = i.add(i0); // (B, C, h, w)
                NDArray tPrime = t.add(t0); // (B, K, C)
                try (var ignored = Complexity.scope("score map")) {
                    s = scoreMap(iPrime, tPrime);
                }
                if (visuals) {
                    try (var ignored = Complexity.scope("visuals")) {
                        s0 = scoreMap(i0, t0);
                    }
                }
                fused = iPrime.concat(s, 1); // (B, C+K, h, w)
            }
        }
        NDArray[] p;
        try (var ignored = Complexity.scope("neck")) {
            p = neck.forward(new NDArray[] {features.c2(), features.c3(), features.c4(), fused});
        }
        NDArray logits;
        try (var ignored = Complexity.scope("head")) {
            logits = head.forward(p, training); // (B, K, H/4, W/4)
        }
        return new NetworkOutput(logits, s0, s, c2f, f2c);
    }

    /** {@link #encode} then {@link #decode}. */
    public NetworkOutput forward(NDArray image, NDArray text, boolean training, boolean visuals) {
        return decode(encode(image, training), text, training, visuals);
    }

    /** {@link #encode} as ONNX nodes: C2, C3, C4 and the projected top feature. */
    public String[] onnxEncode(OnnxOps o, String image) {
        String[] c = encoder.onnx(o, image);
        if (projW != null) {
            c[3] = o.conv2d(c[3], projW, projB, 1, 0, 1);
        }
        return c;
    }

    /** What {@link #onnxDecode} produces: value names, S₀ and S null for the fpn variant. */
    public record OnnxDecoded(String logits, String s0, String s, List<String> c2f, List<String> f2c) {}

    /**
     * {@link #decode} as ONNX nodes (inference, visuals on).
     *
     * @param text T₀ (K, C) with K dynamic, or null for the fpn variant
     */
    public OnnxDecoded onnxDecode(OnnxOps o, String[] features, String text) {
        String i0 = features[3];
        String s0 = null;
        String s = null;
        List<String> c2f = new ArrayList<>();
        List<String> f2c = new ArrayList<>();
        String fused;
        if (!config.variant().usesText()) {
            fused = i0;
        } else {
            String batch = o.shape(i0, 0, 1);
            String t0 = o.graph().node("Expand").in(o.graph().node("Unsqueeze").in(text, o.graph().ints(0)).out(),
                    o.concat(0, batch, o.graph().ints(1, 1))).out();                     // (B, K, C)
            if (config.variant() == Variant.DENSECLIP) {
                s0 = onnxScoreMap(o, i0, t0);
                s = s0;
                fused = o.concat(1, i0, s0);
            } else {
                String i = i0;
                String t = t0;
                for (ConvFormerUnit unit : units) {
                    String[] out = unit.onnx(o, i, t);
                    i = out[0];
                    t = out[1];
                    c2f.add(out[2]);
                    f2c.add(out[3]);
                }
                String iPrime = o.add(i, i0);
                String tPrime = o.add(t, t0);
                s = onnxScoreMap(o, iPrime, tPrime);
                s0 = onnxScoreMap(o, i0, t0);
                fused = o.concat(1, iPrime, s);
            }
        }
        String[] p = neck.onnx(o, new String[] {features[0], features[1], features[2], fused});
        return new OnnxDecoded(head.onnx(o, p), s0, s, c2f, f2c);
    }

    private static String onnxScoreMap(OnnxOps o, String image, String text) {
        String in = o.reshape(o.l2Normalize(image, 1), 0, 0, -1);                            // (B, C, N)
        String tn = o.l2Normalize(text, 2);                                                  // (B, K, C)
        String hw = o.shape(image, 2);
        return o.reshapeTo(o.matMul(tn, in), o.concat(0, o.graph().ints(0, 0), hw));       // (B, K, h, w)
    }

    private void checkText(NDArray text) {
        if (text == null) {
            throw new IllegalArgumentException("The " + config.variant() + " variant needs text embeddings");
        }
        Shape ts = text.getShape();
        if (ts.dimension() != 2 || ts.get(0) != config.numClasses() || ts.get(1) != config.embedDim()) {
            throw new IllegalArgumentException("This model was built for " + config.numClasses()
                    + " classes with " + config.embedDim() + "-d text embeddings, but got embeddings of shape "
                    + ts);
        }
    }

    /** S[b,k,y,x] = ⟨l2n(I)[b,:,y,x], l2n(T)[b,k,:]⟩ (§3.5). */
    static NDArray scoreMap(NDArray image, NDArray text) {
        Shape s = image.getShape();
        NDArray in = Ops.l2Normalize(image, 1).reshape(s.get(0), s.get(1), s.get(2) * s.get(3)); // (B, C, N)
        NDArray tn = Ops.l2Normalize(text, 2);                                                   // (B, K, C)
        return Ops.matMul(tn, in).reshape(s.get(0), text.getShape().get(1), s.get(2), s.get(3));  // (B, K, h, w)
    }

    @Override
    public void close() {
        params.close();
    }
}

package org.seglight.model;

import org.seglight.onnx.OnnxGraph;
import org.seglight.onnx.OnnxOps;

/**
 * The ONNX graphs of a network, split as {@link SeglightNetwork#encode} and {@link SeglightNetwork#decode}
 * are: an encode graph (image → C2, C3, C4 and the projected top feature) and a decode graph (those features
 * and the K×C text embeddings → logits at stride 4, S₀, S and each unit's attention in both directions).
 * Batch and image size are dynamic axes (H and W multiples of 32). K is fixed: the classifier has one row per
 * class and the FPN lateral one column per class of S, so a model labels its own K classes (new words for them
 * change the text input, not its shape).
 */
public final class OnnxExport {

    /** Bumped whenever the graphs written change, so cached graphs of an older writer are not reused. */
    public static final int WRITER_VERSION = 1;

    /** The decode graph's output names, in the order of docs/NETWORK.md §10. */
    public static final String LOGITS = "logits";
    public static final String S0 = "s0";
    public static final String S = "s";
    public static final String TEXT = "text";
    public static final String IMAGE = "image";
    public static final String[] FEATURES = {"c2", "c3", "c4", "top"};

    public static String c2fName(int unit) {
        return "attn_c2f_" + (unit + 1);
    }

    public static String f2cName(int unit) {
        return "attn_f2c_" + (unit + 1);
    }

    /** The encode graph, serialised. */
    public static byte[] encoder(SeglightNetwork net, String modelName) {
        ModelConfig c = net.config();
        OnnxGraph g = new OnnxGraph("seglight-encode");
        OnnxOps o = new OnnxOps(g);
        String image = g.input(IMAGE, OnnxGraph.FLOAT, "batch", 3, "height", "width");
        String[] f = net.onnxEncode(o, image);
        long[] channels = featureChannels(c);
        String[] dims = {"4", "8", "16", "32"};
        for (int i = 0; i < 4; i++) {
            g.output(f[i], FEATURES[i], OnnxGraph.FLOAT, "batch", channels[i], "height/" + dims[i],
                    "width/" + dims[i]);
        }
        describe(g, c, modelName);
        return g.toBytes(version(), "Seglight image encoder of " + modelName + ": image (B, 3, H, W), ImageNet-"
                + "normalised RGB, H and W multiples of 32 -> C2, C3, C4 and the projected stride-32 feature");
    }

    /** The decode graph, serialised. */
    public static byte[] decoder(SeglightNetwork net, String modelName) {
        ModelConfig c = net.config();
        OnnxGraph g = new OnnxGraph("seglight-decode");
        OnnxOps o = new OnnxOps(g);
        long[] channels = featureChannels(c);
        String[] dims = {"4", "8", "16", "32"};
        String[] f = new String[4];
        for (int i = 0; i < 4; i++) {
            f[i] = g.input(FEATURES[i], OnnxGraph.FLOAT, "batch", channels[i], "height/" + dims[i],
                    "width/" + dims[i]);
        }
        boolean text = c.variant().usesText();
        String t = text ? g.input(TEXT, OnnxGraph.FLOAT, c.numClasses(), c.embedDim()) : null;
        SeglightNetwork.OnnxDecoded d = net.onnxDecode(o, f, t);
        int k = c.numClasses();
        g.output(d.logits(), LOGITS, OnnxGraph.FLOAT, "batch", k, "height/4", "width/4");
        if (text) {
            g.output(d.s0(), S0, OnnxGraph.FLOAT, "batch", k, "height/32", "width/32");
            g.output(d.s(), S, OnnxGraph.FLOAT, "batch", k, "height/32", "width/32");
        }
        for (int u = 0; u < d.c2f().size(); u++) {
            g.output(d.c2f().get(u), c2fName(u), OnnxGraph.FLOAT, "batch", c.bridgeHeads(), k, "pixels/32");
            g.output(d.f2c().get(u), f2cName(u), OnnxGraph.FLOAT, "batch", c.bridgeHeads(), "pixels/32", k);
        }
        describe(g, c, modelName);
        return g.toBytes(version(), "Seglight decoder of " + modelName + ": C2, C3, C4, top and the text embeddings"
                + " (K, C) -> logits at stride 4 (upsample x4 bilinearly, half-pixel, for the mask), score maps S0 and"
                + " S, and each Conv-Former unit's"
                + " attention (c2f: per class over pixels, f2c: per pixel over classes)");
    }

    private static long[] featureChannels(ModelConfig c) {
        return new long[] {MobileNetV2Encoder.OUT_CHANNELS[0], MobileNetV2Encoder.OUT_CHANNELS[1],
            MobileNetV2Encoder.OUT_CHANNELS[2], c.variant().usesText() ? c.embedDim() : MobileNetV2Encoder.C5_CHANNELS};
    }

    private static void describe(OnnxGraph g, ModelConfig c, String modelName) {
        g.metadata("seglight.model", modelName);
        g.metadata("seglight.variant", c.variant().toString());
        g.metadata("seglight.units", Integer.toString(c.units()));
        g.metadata("seglight.classes", Integer.toString(c.numClasses()));
        g.metadata("seglight.normalisation", "RGB, mean 123.675 116.28 103.53, std 58.395 57.12 57.375");
    }

    private static String version() {
        String v = OnnxExport.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private OnnxExport() {}
}

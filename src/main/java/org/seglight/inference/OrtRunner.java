package org.seglight.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.seglight.model.ModelConfig;
import org.seglight.model.OnnxExport;
import org.seglight.onnx.OnnxGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network on ONNX Runtime: the encode and decode graphs {@link OnnxExport} writes from the loaded weights,
 * and two small graphs for the last step (softmax over the classes, argmax to labels, optionally the average
 * of overlapping windows and a reduced resolution for the probabilities).
 */
final class OrtRunner implements NetworkRunner {

    private static final Logger LOG = LoggerFactory.getLogger(OrtRunner.class);

    private final OrtEnvironment env = OrtDevice.environment();
    private final ModelConfig config;
    private final OrtDevice.Choice provider;
    private final OrtSession encoder;
    private final OrtSession decoder;
    private final Set<String> decodeOutputs = new LinkedHashSet<>();
    private final Map<String, OrtSession> post = new HashMap<>();
    private final OrtSession.SessionOptions options;

    /**
     * @param encoderGraph the serialised encode graph
     * @param decoderGraph the serialised decode graph
     */
    OrtRunner(ModelConfig config, byte[] encoderGraph, byte[] decoderGraph, OrtDevice.Choice provider) {
        this.config = config;
        this.provider = provider;
        OrtSession enc = null;
        try {
            this.options = provider.options();
            enc = env.createSession(encoderGraph, options);
            this.encoder = enc;
            this.decoder = env.createSession(decoderGraph, options);
        } catch (OrtException e) {
            if (enc != null) {
                closeQuietly(enc);
            }
            throw new IllegalStateException("ONNX Runtime could not load this model's graphs: " + e.getMessage(), e);
        }
        decodeOutputs.add(OnnxExport.UPSAMPLED);
        if (config.variant().usesText()) {
            decodeOutputs.add(OnnxExport.S0);
            decodeOutputs.add(OnnxExport.S);
        }
        for (int u = 0; u < (config.variant().usesText() && config.variant() != org.seglight.model.Variant.DENSECLIP
                ? config.units() : 0); u++) {
            decodeOutputs.add(OnnxExport.c2fName(u));
            decodeOutputs.add(OnnxExport.f2cName(u));
        }
        decodeOutputs.retainAll(decoder.getOutputNames());
    }

    @Override
    public String describe() {
        return "ONNX Runtime " + env.getVersion() + " on " + provider.describe();
    }

    @Override
    public Features encode(float[] chw, int hp, int wp) {
        try (OnnxTensor image = OnnxTensor.createTensor(env, FloatBuffer.wrap(chw), new long[] {1, 3, hp, wp})) {
            return new OrtFeatures(encoder.run(Map.of(OnnxExport.IMAGE, image)));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to encode the image: " + e.getMessage(), e);
        }
    }

    @Override
    public Window decode(Features features, float[][] text) {
        OrtSession.Result f = ((OrtFeatures) features).result;
        Map<String, OnnxTensor> inputs = new HashMap<>();
        OnnxTensor textTensor = null;
        try {
            for (String name : OnnxExport.FEATURES) {
                inputs.put(name, (OnnxTensor) f.get(name).orElseThrow());
            }
            if (text != null) {
                int k = text.length;
                int c = text[0].length;
                float[] flat = new float[k * c];
                for (int i = 0; i < k; i++) {
                    System.arraycopy(text[i], 0, flat, i * c, c);
                }
                textTensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), new long[] {k, c});
                inputs.put(OnnxExport.TEXT, textTensor);
            }
            OrtSession.Result out = decoder.run(inputs, decodeOutputs);
            OnnxTensor up = (OnnxTensor) out.get(OnnxExport.UPSAMPLED).orElseThrow();
            long[] shape = up.getInfo().getShape();
            int fw = (int) shape[3] / 32;
            int fh = (int) shape[2] / 32;
            float[] s0 = floats(out, OnnxExport.S0);
            float[] s = floats(out, OnnxExport.S);
            List<float[]> c2f = new ArrayList<>();
            List<float[]> f2c = new ArrayList<>();
            int k = (int) shape[1];
            for (int u = 0; decodeOutputs.contains(OnnxExport.c2fName(u)); u++) {
                c2f.add(floats(out, OnnxExport.c2fName(u)));                               // (h·K, N)
                f2c.add(perToken(floats(out, OnnxExport.f2cName(u)), config.bridgeHeads(), fw * fh, k));
            }
            return new Window(new OrtLogits(up, null, out), s0, s, c2f, f2c, fw, fh);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to decode: " + e.getMessage(), e);
        } finally {
            if (textTensor != null) {
                textTensor.close();
            }
        }
    }

    @Override
    public Finished finish(Logits logits, int width, int height, int pw, int ph) {
        OrtLogits l = (OrtLogits) logits;
        long[] shape = l.logits.getInfo().getShape();
        int k = (int) shape[1];
        int hp = (int) shape[2];
        int wp = (int) shape[3];
        boolean reduced = pw != width || ph != height;
        List<OnnxTensor> made = new ArrayList<>();
        try {
            OnnxTensor src = l.logits;
            int sh = hp;
            int sw = wp;
            if (reduced && (width != wp || height != hp)) {
                // Crop first, so the reduced probabilities cover the image and not its padding.
                src = OnnxTensor.createTensor(env, FloatBuffer.wrap(Stitching.crop(floats(l.logits), k, hp, wp, width,
                        height)), new long[] {1, k, height, width});
                made.add(src);
                sh = height;
                sw = width;
            }
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put("logits", src);
            if (l.count != null) {
                in.put("count", l.count);
            }
            if (reduced) {
                OnnxTensor size = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {1, k, ph, pw}),
                        new long[] {4});
                made.add(size);
                in.put("size", size);
            }
            try (OrtSession.Result r = postSession(l.count != null, reduced).run(in)) {
                byte[] labels = bytes((OnnxTensor) r.get("labels").orElseThrow());
                float[] prob = floats((OnnxTensor) r.get("probabilities").orElseThrow());
                return new Finished(Stitching.crop(labels, sh, sw, width, height),
                        reduced ? prob : Stitching.crop(prob, k, sh, sw, width, height));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the last step: " + e.getMessage(), e);
        } finally {
            made.forEach(OnnxTensor::close);
        }
    }

    @Override
    public Logits wrap(float[] sum, float[] count, int k, int height, int width) {
        try {
            OnnxTensor s = OnnxTensor.createTensor(env, FloatBuffer.wrap(sum), new long[] {1, k, height, width});
            OnnxTensor c = OnnxTensor.createTensor(env, FloatBuffer.wrap(count), new long[] {1, 1, height, width});
            return new OrtLogits(s, c, null);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not take the logits: " + e.getMessage(), e);
        }
    }

    /** The last-step graph: [average,] softmax over the classes, argmax to uint8 labels[, resize]. */
    private OrtSession postSession(boolean averaged, boolean reduced) throws OrtException {
        String key = averaged + "/" + reduced;
        OrtSession s = post.get(key);
        if (s == null) {
            OnnxGraph g = new OnnxGraph("seglight-post");
            String logits = g.input("logits", OnnxGraph.FLOAT, 1, "classes", "height", "width");
            if (averaged) {
                String count = g.input("count", OnnxGraph.FLOAT, 1, 1, "height", "width");
                logits = g.node("Div").in(logits, count).out();
            }
            String labels = g.node("Cast").in(g.node("ArgMax").in(logits).attr("axis", 1L).attr("keepdims", 0L).out())
                    .attr("to", (long) OnnxGraph.UINT8).out();
            String prob = g.node("Softmax").in(logits).attr("axis", 1L).out();
            if (reduced) {
                String size = g.input("size", OnnxGraph.INT64, 4);
                prob = g.node("Resize").in(prob, "", "", size).attr("mode", "linear")
                        .attr("coordinate_transformation_mode", "half_pixel").out();
            }
            g.output(labels, "labels", OnnxGraph.UINT8, 1, "height", "width");
            g.output(prob, "probabilities", OnnxGraph.FLOAT, 1, "classes", "out_height", "out_width");
            s = env.createSession(g.toBytes("dev", "Seglight's last step"), options);
            post.put(key, s);
        }
        return s;
    }

    private static float[] floats(OrtSession.Result r, String name) {
        return r.get(name).map(v -> floats((OnnxTensor) v)).orElse(null);
    }

    private static float[] floats(OnnxTensor t) {
        FloatBuffer b = t.getFloatBuffer();
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    private static byte[] bytes(OnnxTensor t) {
        ByteBuffer b = t.getByteBuffer();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    /** (h, N, K) to (h, K, N). */
    private static float[] perToken(float[] perPixel, int heads, int n, int k) {
        float[] out = new float[perPixel.length];
        for (int h = 0; h < heads; h++) {
            for (int p = 0; p < n; p++) {
                for (int kk = 0; kk < k; kk++) {
                    out[(h * k + kk) * n + p] = perPixel[(h * n + p) * k + kk];
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (OrtSession s : post.values()) {
            closeQuietly(s);
        }
        closeQuietly(encoder);
        closeQuietly(decoder);
        options.close();
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException e) {
            LOG.warn("Closing an ONNX Runtime session failed: {}", e.getMessage());
        }
    }

    private record OrtFeatures(OrtSession.Result result) implements Features {
        @Override
        public void close() {
            result.close();
        }
    }

    /** Logits held by ORT: a decoder output (closed with its result) or wrapped sums with their counts. */
    private record OrtLogits(OnnxTensor logits, OnnxTensor count, OrtSession.Result owner) implements Logits {
        @Override
        public void addTo(float[] sum, int imageWidth, int imageHeight, int x, int y, int w, int h) {
            long[] s = logits.getInfo().getShape();
            Stitching.addCrop(floats(logits), (int) s[1], (int) s[2], (int) s[3], sum, imageWidth, imageHeight, x, y,
                    w, h);
        }

        @Override
        public void close() {
            if (owner != null) {
                owner.close();
            } else {
                logits.close();
                if (count != null) {
                    count.close();
                }
            }
        }
    }
}

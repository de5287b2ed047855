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
import org.seglight.onnx.OnnxOps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network on ONNX Runtime: the encode and decode graphs {@link OnnxExport} writes from the loaded weights,
 * and small graphs for the last step (×4 upsampling, the crop, softmax over the classes and argmax to labels,
 * optionally the average of overlapping windows and a reduced resolution for the probabilities), so no
 * per-pixel work is left to Java but the sum of overlapping windows.
 */
final class OrtRunner implements NetworkRunner {

    private static final Logger LOG = LoggerFactory.getLogger(OrtRunner.class);

    private final OrtEnvironment env = OrtDevice.environment();
    private final ModelConfig config;
    private final OrtDevice.Choice provider;
    private final OrtSession encoder;
    private final OrtSession decoder;
    private final Set<String> decodeOutputs = new LinkedHashSet<>();
    private final Map<Step, OrtSession> post = new HashMap<>();
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
        decodeOutputs.add(OnnxExport.LOGITS);
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
            OnnxTensor logits = (OnnxTensor) out.get(OnnxExport.LOGITS).orElseThrow();
            long[] shape = logits.getInfo().getShape();
            int fw = (int) shape[3] / 8;
            int fh = (int) shape[2] / 8;
            float[] s0 = floats(out, OnnxExport.S0);
            float[] s = floats(out, OnnxExport.S);
            List<float[]> c2f = new ArrayList<>();
            List<float[]> f2c = new ArrayList<>();
            int k = (int) shape[1];
            for (int u = 0; decodeOutputs.contains(OnnxExport.c2fName(u)); u++) {
                c2f.add(floats(out, OnnxExport.c2fName(u)));                               // (h·K, N)
                f2c.add(perToken(floats(out, OnnxExport.f2cName(u)), config.bridgeHeads(), fw * fh, k));
            }
            return new Window(new OrtLogits(this, logits, null, out), s0, s, c2f, f2c, fw, fh);
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
        int k = (int) l.logits.getInfo().getShape()[1];
        boolean reduced = pw != width || ph != height;
        List<OnnxTensor> made = new ArrayList<>();
        try {
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put("logits", l.logits);
            if (l.count != null) {
                in.put("count", l.count);
            }
            in.put("crop", track(made, OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {height, width}),
                    new long[] {2})));
            if (reduced) {
                in.put("size", track(made, OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {1, k, ph, pw}),
                        new long[] {4})));
            }
            Step step = new Step(l.count == null, l.count != null, reduced, true);
            try (OrtSession.Result r = session(step).run(in)) {
                return new Finished(bytes((OnnxTensor) r.get("labels").orElseThrow()),
                        floats((OnnxTensor) r.get("probabilities").orElseThrow()));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the last step: " + e.getMessage(), e);
        } finally {
            made.forEach(OnnxTensor::close);
        }
    }

    /** The ×4 upsampled logits, cropped to w×h, as a (K, h, w) array. */
    private float[] upsampled(OnnxTensor logits, int w, int h) {
        try (OnnxTensor crop = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {h, w}), new long[] {2});
                OrtSession.Result r = session(new Step(true, false, false, false)).run(Map.of("logits", logits, "crop",
                        crop))) {
            return floats((OnnxTensor) r.get("upsampled").orElseThrow());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to upsample the logits: " + e.getMessage(), e);
        }
    }

    private static OnnxTensor track(List<OnnxTensor> made, OnnxTensor t) {
        made.add(t);
        return t;
    }

    @Override
    public Logits wrap(float[] sum, float[] count, int k, int height, int width) {
        try {
            OnnxTensor s = OnnxTensor.createTensor(env, FloatBuffer.wrap(sum), new long[] {1, k, height, width});
            OnnxTensor c = OnnxTensor.createTensor(env, FloatBuffer.wrap(count), new long[] {1, 1, height, width});
            return new OrtLogits(this, s, c, null);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not take the logits: " + e.getMessage(), e);
        }
    }

    /** Which last-step graph: upsample ×4, average over windows, reduce the probabilities, end in labels. */
    private record Step(boolean upsample, boolean averaged, boolean reduced, boolean labels) {}

    /**
     * The last-step graph: [×4 bilinear,] the crop to the image, [the average over windows,] then labels (argmax)
     * and probabilities (a softmax over the classes written out as max, exp, sum, divide: ONNX Runtime's Softmax
     * on axis 1 of NCHW transposes twice and took 5× as long) [at a reduced size].
     */
    private OrtSession session(Step step) throws OrtException {
        OrtSession s = post.get(step);
        if (s == null) {
            OnnxGraph g = new OnnxGraph("seglight-post");
            OnnxOps o = new OnnxOps(g);
            String logits = g.input("logits", OnnxGraph.FLOAT, 1, "classes", "height", "width");
            String crop = g.input("crop", OnnxGraph.INT64, 2);
            if (step.upsample()) {
                logits = o.upBilinear(logits, 4f);
            }
            logits = g.node("Slice").in(logits, g.ints(0, 0), crop, g.ints(2, 3)).out();
            if (!step.labels()) {
                g.output(logits, "upsampled", OnnxGraph.FLOAT, 1, "classes", "crop_height", "crop_width");
            } else {
                if (step.averaged()) {
                    String count = g.input("count", OnnxGraph.FLOAT, 1, 1, "crop_height", "crop_width");
                    logits = o.div(logits, count);
                }
                String labels = g.node("Cast").in(g.node("ArgMax").in(logits).attr("axis", 1L).attr("keepdims", 0L)
                        .out()).attr("to", (long) OnnxGraph.UINT8).out();
                String max = g.node("ReduceMax").in(logits).attrs("axes", 1).attr("keepdims", 1L).out();
                String exp = g.node("Exp").in(g.node("Sub").in(logits, max).out()).out();
                String prob = o.div(exp, g.node("ReduceSum").in(exp, g.ints(1)).attr("keepdims", 1L).out());
                if (step.reduced()) {
                    String size = g.input("size", OnnxGraph.INT64, 4);
                    prob = g.node("Resize").in(prob, "", "", size).attr("mode", "linear")
                            .attr("coordinate_transformation_mode", "half_pixel").out();
                }
                g.output(labels, "labels", OnnxGraph.UINT8, 1, "crop_height", "crop_width");
                g.output(prob, "probabilities", OnnxGraph.FLOAT, 1, "classes", "out_height", "out_width");
            }
            s = env.createSession(g.toBytes("dev", "Seglight's last step"), options);
            post.put(step, s);
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

    /**
     * Logits held by ORT: a decoder's at stride 4 (closed with its result), or wrapped sums over windows at full
     * resolution with their counts.
     */
    private record OrtLogits(OrtRunner runner, OnnxTensor logits, OnnxTensor count, OrtSession.Result owner)
            implements Logits {
        @Override
        public void addTo(float[] sum, int imageWidth, int imageHeight, int x, int y, int w, int h) {
            int k = (int) logits.getInfo().getShape()[1];
            Stitching.addCrop(runner.upsampled(logits, w, h), k, h, w, sum, imageWidth, imageHeight, x, y, w, h);
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

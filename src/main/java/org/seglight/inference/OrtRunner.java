package org.seglight.inference;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import org.seglight.model.TextEmbeddings;
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
    private OrtSession.SessionOptions postOptions;
    private final Buffers buffers = new Buffers();

    /**
     * @param encoderGraph the serialised encode graph
     * @param decoderGraph the serialised decode graph
     */
    OrtRunner(ModelConfig config, byte[] encoderGraph, byte[] decoderGraph, OrtDevice.Choice provider) {
        this.config = config;
        this.provider = provider;
        OrtSession enc = null;
        OrtSession.SessionOptions opts = null;
        try {
            opts = provider.options();
            this.options = opts;
            enc = env.createSession(encoderGraph, options);
            this.encoder = enc;
            this.decoder = env.createSession(decoderGraph, options);
        } catch (OrtException e) {
            if (enc != null) {
                closeQuietly(enc);
            }
            if (opts != null) {
                opts.close();
            }
            throw new IllegalStateException("ONNX Runtime could not load this model's graphs: " + e.getMessage(), e);
        }
        decodeOutputs.add(OnnxExport.LOGITS);
        if (config.variant().usesText()) {
            decodeOutputs.add(OnnxExport.S0);
            decodeOutputs.add(OnnxExport.S);
        }
        for (int u = 0; u < (config.variant().hasUnits() ? config.units() : 0); u++) {
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
        int n = 3 * hp * wp;
        // A direct buffer ORT reads in place: a heap buffer would be copied into a new direct one per window.
        FloatBuffer pixels = buffers.floats("image", n).put(0, chw, 0, n);
        try (OnnxTensor image = OnnxTensor.createTensor(env, pixels, new long[] {1, 3, hp, wp})) {
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
                textTensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(TextEmbeddings.flatten(text)),
                        new long[] {text.length, text[0].length});
                inputs.put(OnnxExport.TEXT, textTensor);
            }
            OrtSession.Result out = decoder.run(inputs, decodeOutputs);
            try {
                return window(out);
            } catch (RuntimeException e) {
                out.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to decode: " + e.getMessage(), e);
        } finally {
            if (textTensor != null) {
                textTensor.close();
            }
        }
    }

    /** A decoder result as a window: its logits stay in ORT (closed with the result), the maps are copied out. */
    private Window window(OrtSession.Result out) {
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
        return new Window(new OrtLogits(this, logits, out), s0, s, c2f, f2c, fw, fh);
    }

    @Override
    public Finished finish(Logits logits, int width, int height, int scale) {
        OrtLogits l = (OrtLogits) logits;
        int k = (int) l.logits.getInfo().getShape()[1];
        return last(new Step(true, false, scale, true), l.logits, null, 0, k, width, height, scale);
    }

    @Override
    public Finished finish(Band band, int from, int to, int scale) {
        int k = band.classes();
        try (OnnxTensor values = OnnxTensor.createTensor(env, band.values(),
                new long[] {1, k, band.capacity(), band.width()});
                OnnxTensor weights = OnnxTensor.createTensor(env, band.weights(),
                        new long[] {1, 1, band.capacity(), band.width()})) {
            return last(new Step(false, true, scale, true), values, weights, from, k, band.width(), to - from, scale);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not take the logits: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a last-step graph with its outputs written straight into reused direct buffers (no copies inside
     * ONNX Runtime's Java API), then copies labels and probabilities out once.
     */
    private Finished last(Step step, OnnxTensor logits, OnnxTensor weights, int from, int k, int width, int height,
            int scale) {
        List<OnnxTensor> made = new ArrayList<>();
        try {
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put("logits", logits);
            if (weights != null) {
                in.put("weights", weights);
            }
            in.put("crop", track(made, OnnxTensor.createTensor(env, LongBuffer.wrap(weights == null
                    ? new long[] {height, width} : new long[] {from, from + height}), new long[] {2})));
            int pw = (width + scale - 1) / scale;
            int ph = (height + scale - 1) / scale;
            ByteBuffer labelBuf = buffers.bytes("labels", width * height);
            FloatBuffer probBuf = buffers.floats("probabilities", k * ph * pw);
            Map<String, OnnxTensor> outputs = Map.of(
                    "labels", track(made, OnnxTensor.createTensor(env, labelBuf, new long[] {1, height, width},
                            OnnxJavaType.UINT8)),
                    "probabilities", track(made, OnnxTensor.createTensor(env, probBuf, new long[] {1, k, ph, pw})));
            session(step).run(in, outputs).close();
            byte[] labels = new byte[width * height];
            labelBuf.get(0, labels);
            float[] prob = new float[k * ph * pw];
            probBuf.get(0, prob);
            return new Finished(labels, prob);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on the last step: " + e.getMessage(), e);
        } finally {
            made.forEach(OnnxTensor::close);
        }
    }

    /** The ×4 upsampled logits, cropped to w×h, in the reused window buffer. */
    private FloatBuffer upsampled(OnnxTensor logits, int w, int h) {
        int k = (int) logits.getInfo().getShape()[1];
        FloatBuffer up = buffers.floats("window", k * h * w);
        try (OnnxTensor crop = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {h, w}), new long[] {2});
                OnnxTensor out = OnnxTensor.createTensor(env, up, new long[] {1, k, h, w})) {
            session(new Step(true, false, 1, false)).run(Map.of("logits", logits, "crop", crop),
                    Map.of("upsampled", out)).close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed to upsample the logits: " + e.getMessage(), e);
        }
        return up;
    }

    private static OnnxTensor track(List<OnnxTensor> made, OnnxTensor t) {
        made.add(t);
        return t;
    }

    /**
     * Which last-step graph: upsample ×4 and crop, or a band's first rows divided by their blend weights; the
     * probabilities averaged over scale×scale blocks; ending in labels and probabilities (or in the upsampled
     * logits alone).
     */
    private record Step(boolean upsample, boolean blended, int scale, boolean labels) {}

    /**
     * The last-step graph: [×4 bilinear and] the crop to the image [or the band's rows, divided by their blend
     * weights], then labels (argmax) and probabilities (a softmax over the classes written out as max, exp,
     * sum, divide: ONNX Runtime's Softmax on axis 1 of NCHW transposes twice and took 5× as long) [averaged over
     * scale×scale blocks].
     */
    private OrtSession session(Step step) throws OrtException {
        OrtSession s = post.get(step);
        if (s == null) {
            OnnxGraph g = new OnnxGraph("seglight-post", 18);
            OnnxOps o = new OnnxOps(g);
            String logits = g.input("logits", OnnxGraph.FLOAT, 1, "classes", "height", "width");
            String crop = g.input("crop", OnnxGraph.INT64, 2);
            if (step.upsample()) {
                logits = g.node("Slice").in(o.upBilinear(logits, 4f), g.ints(0, 0), crop, g.ints(2, 3)).out();
            }
            if (step.blended()) {
                // crop holds the band's rows [from, to)
                String weights = g.input("weights", OnnxGraph.FLOAT, 1, 1, "height", "width");
                String from = g.node("Slice").in(crop, g.ints(0), g.ints(1)).out();
                String to = g.node("Slice").in(crop, g.ints(1), g.ints(2)).out();
                logits = o.div(g.node("Slice").in(logits, from, to, g.ints(2)).out(),
                        g.node("Slice").in(weights, from, to, g.ints(2)).out());
            }
            if (!step.labels()) {
                g.output(logits, "upsampled", OnnxGraph.FLOAT, 1, "classes", "crop_height", "crop_width");
            } else {
                String labels = g.node("Cast").in(g.node("ArgMax").in(logits).attr("axis", 1L).attr("keepdims", 0L)
                        .out()).attr("to", (long) OnnxGraph.UINT8).out();
                String max = g.node("ReduceMax").in(logits, g.ints(1)).attr("keepdims", 1L).out();
                String exp = g.node("Exp").in(g.node("Sub").in(logits, max).out()).out();
                String prob = o.div(exp, g.node("ReduceSum").in(exp, g.ints(1)).attr("keepdims", 1L).out());
                if (step.scale() > 1) {
                    // Block averages; the partial blocks at the right and bottom average the pixels they hold.
                    prob = g.node("AveragePool").in(prob).attrs("kernel_shape", step.scale(), step.scale())
                            .attrs("strides", step.scale(), step.scale()).attr("ceil_mode", 1L)
                            .attr("count_include_pad", 0L).out();
                }
                g.output(labels, "labels", OnnxGraph.UINT8, 1, "crop_height", "crop_width");
                g.output(prob, "probabilities", OnnxGraph.FLOAT, 1, "classes", "out_height", "out_width");
            }
            s = env.createSession(g.toBytes("dev", "Seglight's last step"), postOptions());
            post.put(step, s);
        }
        return s;
    }

    /**
     * The last-step graphs' options: without the memory arena, whose blocks sized for a wide band's softmax
     * would stay held between images.
     */
    private OrtSession.SessionOptions postOptions() throws OrtException {
        if (postOptions == null) {
            postOptions = provider.options();
            postOptions.setCPUArenaAllocator(false);
            postOptions.setMemoryPatternOptimization(false);
        }
        return postOptions;
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
        if (postOptions != null) {
            postOptions.close();
        }
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
        public long bytes() {
            long n = 0;
            for (var e : result) {
                long elements = 1;
                for (long d : ((OnnxTensor) e.getValue()).getInfo().getShape()) {
                    elements *= d;
                }
                n += elements * Float.BYTES;
            }
            return n;
        }

        @Override
        public void close() {
            result.close();
        }
    }

    /** A decoder's logits held by ORT, closed with the decoder's result. */
    private record OrtLogits(OrtRunner runner, OnnxTensor logits, OrtSession.Result owner) implements Logits {
        @Override
        public FloatBuffer upsampled(int w, int h) {
            return runner.upsampled(logits, w, h);
        }

        @Override
        public void close() {
            owner.close();
        }
    }

    /**
     * Direct buffers in native order, one per use, reused from image to image and grown when an image needs
     * more: ONNX Runtime reads and writes them in place.
     */
    private static final class Buffers {
        private final Map<String, ByteBuffer> byName = new HashMap<>();

        private ByteBuffer raw(String name, int bytes) {
            ByteBuffer b = byName.get(name);
            if (b == null || b.capacity() < bytes) {
                b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
                byName.put(name, b);
            }
            return b.duplicate().order(ByteOrder.nativeOrder()).position(0).limit(bytes).slice()
                    .order(ByteOrder.nativeOrder());
        }

        FloatBuffer floats(String name, int count) {
            return raw(name, count * Float.BYTES).asFloatBuffer();
        }

        ByteBuffer bytes(String name, int count) {
            return raw(name, count);
        }
    }

}

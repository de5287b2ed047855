package org.seglight.inference;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.seglight.mask.LabelMask;
import org.seglight.model.Checkpoint;
import org.seglight.model.InvalidModelException;
import org.seglight.model.ModelCard;
import org.seglight.model.ModelConfig;
import org.seglight.text.EmbeddingCache;
import org.seglight.text.PromptSet;
import org.seglight.text.TextEncoder;
import org.seglight.text.TransformerTextEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a model and runs it: image in, label mask, probabilities, score maps and attention out, as plain Java
 * values.
 *
 * <p>The image features of the last image are kept, so a new prompt set re-runs only the text encoder (for
 * prompts not seen before) and the text-dependent part of the network. Images larger than the network input
 * run as overlapping windows. Calls are serialised: the underlying engine objects are not thread-safe.
 */
public final class Segmenter implements SegmentationService {

    /** Set by {@link #close}: a closed segmenter refuses work with a message instead of crashing in native code. */
    private boolean closed;

    private static final Logger LOG = LoggerFactory.getLogger(Segmenter.class);
    /**
     * Above this many probability values (128 MB) the probabilities are kept at a reduced resolution, block
     * averages the viewer upsamples: 11 classes of a 20000×15000 image at 1/8.
     */
    static final long MAX_PROBABILITY_VALUES = 32L << 20;
    /** The encoder outputs of the latest images are kept up to this size (prompt edits, revisits); beyond, recomputed. */
    static final long FEATURE_CACHE_BYTES = 256L << 20;
    /**
     * The most values (K × rows × width) one call of the last step takes: 8 MB of logits, so its intermediates
     * (a few times that) stay small beside the band on a wide image.
     */
    static final long FINISH_VALUES = 2L << 20;
    /** The largest image {@code whole} runs as one window; larger ones slide, as the network's memory needs. */
    static final long WHOLE_MAX_PIXELS = 4L << 20;

    private final Checkpoint.Contents contents;
    /** The DJL network and its manager when the runner needs them (PyTorch, or the fallback); else null. */
    private final NDManager root;
    private final Checkpoint.Loaded model;
    private final NetworkRunner runner;
    private final LazyTextEncoder textEncoder;
    private final EmbeddingCache embeddings = new EmbeddingCache(4096);

    /**
     * The encoder outputs of recently segmented images, by content key, least recently used first: revisiting
     * one (Page Up) or editing a prompt runs only the text-dependent part. Their bytes stay within
     * {@link #FEATURE_CACHE_BYTES}, the newest image always kept when it alone fits.
     */
    private final java.util.LinkedHashMap<Long, List<NetworkRunner.Features>> featureCache =
            new java.util.LinkedHashMap<>(8, 0.75f, true);
    private long featureCacheBytes;
    private long featureBudget = FEATURE_CACHE_BYTES;
    private volatile boolean flip;

    /** Loads a model file onto the device the policy picks, on ONNX Runtime. */
    public static Segmenter open(Path modelFile, DevicePolicy policy) throws InvalidModelException {
        return open(modelFile, policy, InferenceEngine.ONNX);
    }

    /**
     * Loads a model file and runs it on the engine asked for. PyTorch stays the fallback: when ONNX Runtime
     * cannot take the model, the segmenter runs on PyTorch and its device description says why.
     */
    public static Segmenter open(Path modelFile, DevicePolicy policy, InferenceEngine engine)
            throws InvalidModelException {
        if (engine == InferenceEngine.ONNX) {
            Checkpoint.Contents c = Checkpoint.read(modelFile);
            Checkpoint.requireSegmenting(c, modelFile);
            OrtDevice.Choice device = OrtDevice.choose(policy); // a GPU asked for and missing is an error
            String why;
            try {
                OnnxGraphCache.Graphs g = OnnxGraphCache.graphs(modelFile, c);
                OrtRunner runner;
                try {
                    runner = new OrtRunner(c.config(), g.encoder(), g.decoder(), device);
                } catch (RuntimeException e) {
                    if (!g.cached()) {
                        throw e;
                    }
                    // A damaged cache entry (a disk error, a copy cut short): build the graphs again, once.
                    LOG.warn("The cached ONNX graphs of {} did not load ({}); building them again",
                            modelFile.getFileName(), e.getMessage());
                    g = OnnxGraphCache.rebuild(modelFile, c);
                    runner = new OrtRunner(c.config(), g.encoder(), g.decoder(), device);
                }
                return new Segmenter(c, null, null, runner, TransformerTextEncoder::miniLm);
            } catch (RuntimeException e) {
                why = e.getMessage();
                LOG.warn("ONNX Runtime cannot run {}; falling back to PyTorch: {}", modelFile.getFileName(), why);
            }
            return openDjl(modelFile, new DevicePolicy.Choice(Device.cpu(), "fallback, because ONNX Runtime could"
                    + " not run this model: " + why));
        }
        return openDjl(modelFile, policy.choose());
    }

    private static Segmenter openDjl(Path modelFile, DevicePolicy.Choice choice) throws InvalidModelException {
        NDManager root = NDManager.newBaseManager(choice.device(), "PyTorch");
        try {
            Checkpoint.Loaded loaded = Checkpoint.load(modelFile, root.newSubManager());
            return new Segmenter(loaded.contents(), root, loaded, new DjlRunner(root, loaded.network(), choice),
                    TransformerTextEncoder::miniLm);
        } catch (InvalidModelException | RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /**
     * @param root the manager a DJL network lives under, or null; closed with this segmenter
     * @param model the DJL network, or null when ONNX Runtime runs graphs of its own; closed with this segmenter
     * @param runner the engine that runs the model's network; closed with this segmenter
     * @param encoderFactory makes the text encoder the first time a prompt needs encoding
     */
    Segmenter(Checkpoint.Contents contents, NDManager root, Checkpoint.Loaded model, NetworkRunner runner,
            Supplier<TextEncoder> encoderFactory) {
        this.contents = contents;
        this.root = root;
        this.model = model;
        this.runner = runner;
        Checkpoint.Contents c = contents;
        this.textEncoder = new LazyTextEncoder(c.textEncoderId(), encoderFactory);
        for (int k = 0; k < c.textEmbeddings().length; k++) {
            embeddings.put(c.textEncoderId(), c.prompts().prompts().get(k), c.textEmbeddings()[k]);
        }
        LOG.info("Model {} ({}, {} classes) on {}", c.card().name(), c.config().variant(), c.config().numClasses(),
                runner.describe());
    }

    @Override
    public void setTestTimeFlip(boolean on) {
        flip = on;
    }

    @Override
    public boolean testTimeFlip() {
        return flip;
    }

    @Override
    public ModelConfig config() {
        return contents.config();
    }

    /** The classes the model was trained with. */
    @Override
    public PromptSet defaultPrompts() {
        return contents.prompts();
    }

    @Override
    public ModelCard card() {
        return contents.card();
    }

    /** Which engine and device run the model, and why. */
    @Override
    public String deviceDescription() {
        return runner.describe();
    }

    /** Text embeddings (K, C) for a prompt set, from the checkpoint or the cache where possible. */
    public synchronized float[][] embed(PromptSet prompts) {
        return embeddings.embed(textEncoder, prompts.prompts());
    }

    /**
     * Segments an RGB image.
     *
     * @param image an upright 8-bit image (see {@code ImageLoader})
     * @param prompts K classes, K being the model's class count
     */
    public SegmentationResult segment(BufferedImage image, PromptSet prompts) {
        return segment(image, prompts, false);
    }

    /**
     * Segments an RGB image, as one padded window when {@code whole} (up to {@link #WHOLE_MAX_PIXELS}),
     * otherwise in sliding windows of the network input size when the image is larger (docs/NETWORK.md §9).
     */
    @Override
    public SegmentationResult segment(BufferedImage image, PromptSet prompts, boolean whole) {
        return segment(image, prompts, whole, null);
    }

    /**
     * As {@link #segment(BufferedImage, PromptSet, boolean)}, telling {@code progress} after each window; when
     * it returns false the run stops with a {@link java.util.concurrent.CancellationException}.
     *
     * <p>Windows run one at a time, band by band: each window's upsampled logits are blended into a {@link Band}
     * of rows with weights falling off towards the window's border, and rows no later window reaches are reduced
     * to labels and (block-averaged) probabilities at once. So the memory for one image is its pixels, its
     * labels, the reduced probabilities and one band across its width, never K × height × width floats.
     */
    @Override
    public synchronized SegmentationResult segment(BufferedImage image, PromptSet prompts, boolean whole,
            Progress progress) {
        if (closed) {
            throw new IllegalStateException("The model " + card().name() + " was closed (another model or device "
                    + "was chosen); segment again with the current model");
        }
        ModelConfig config = config();
        if (prompts.size() != config.numClasses()) {
            throw new IllegalArgumentException("This model labels " + config.numClasses() + " classes, but "
                    + prompts.size() + " prompts were given; rename or reword classes, or train a model with"
                    + " another class list");
        }
        int width = image.getWidth();
        int height = image.getHeight();
        int[] rgb = org.seglight.io.ImageLoader.packedRgb(image);
        boolean oneWindow = whole && (long) width * height <= WHOLE_MAX_PIXELS;
        List<WindowPlan.Window> windows = oneWindow ? List.of(new WindowPlan.Window(0, 0, width, height))
                : WindowPlan.plan(width, height, config.inputWidth(), config.inputHeight());

        long t0 = System.nanoTime();
        float[][] text = config.variant().usesText() ? embed(prompts) : null;
        long textNanos = System.nanoTime() - t0;

        int k = config.numClasses();
        int gw = (width + 31) / 32;
        int gh = (height + 31) / 32;
        boolean hasText = config.variant().usesText();
        GridStitcher s0 = hasText ? new GridStitcher(k, gw, gh) : null;
        GridStitcher s = hasText ? new GridStitcher(k, gw, gh) : null;
        int units = config.units();
        int heads = config.bridgeHeads();
        List<GridStitcher> c2f = new ArrayList<>();
        List<GridStitcher> f2c = new ArrayList<>();
        for (int u = 0; u < units; u++) {
            c2f.add(new GridStitcher(heads * k, gw, gh));
            f2c.add(new GridStitcher(heads * k, gw, gh));
        }
        int scale = probabilityScale(k, width, height);
        int pw = (width + scale - 1) / scale;
        int ph = (height + scale - 1) / scale;

        boolean flipped = flip;
        int passes = flipped ? 2 : 1; // with flip TTA, each window is also run mirrored
        long key = (contentKey(rgb, width, height) * 31 + windows.hashCode()) * 31 + passes;
        List<NetworkRunner.Features> hit = featureCache.get(key);
        boolean cached = hit != null;
        List<NetworkRunner.Features> kept = cached ? hit : new ArrayList<>();
        boolean keep = true;
        long encodeNanos = 0;
        long decodeNanos = 0;
        long postNanos = 0;
        byte[] labels;
        float[] probabilities;
        try {
            if (windows.size() == 1 && passes == 1) {
                long e0 = System.nanoTime();
                NetworkRunner.Features f = cached ? kept.getFirst() : encode(rgb, width, windows.getFirst());
                if (!cached) {
                    kept.add(f);
                    keep = f.bytes() <= featureBudget;
                }
                long d0 = System.nanoTime();
                NetworkRunner.Window out = runner.decode(f, text);
                long p0 = System.nanoTime();
                try (NetworkRunner.Logits logits = out.logits()) {
                    addMaps(out, windows.getFirst(), s0, s, c2f, f2c);
                    NetworkRunner.Finished finished = runner.finish(logits, width, height, scale);
                    labels = finished.labels();
                    probabilities = finished.probabilities();
                }
                encodeNanos += d0 - e0;
                decodeNanos += p0 - d0;
                postNanos += System.nanoTime() - p0;
                report(progress, 1, 1);
            } else {
                labels = new byte[width * height];
                probabilities = new float[k * ph * pw];
                List<List<Integer>> rows = rows(windows);
                int cropHeight = windows.getFirst().height();
                int done = 0;
                int top = 0; // the image row the band's first row is
                try (Band band = new Band(k, cropHeight + scale, width)) {
                    for (int r = 0; r < rows.size(); r++) {
                        for (int wi : rows.get(r)) {
                            WindowPlan.Window win = windows.get(wi);
                            for (int pass = 0; pass < passes; pass++) {
                                boolean mirrored = pass == 1;
                                long e0 = System.nanoTime();
                                NetworkRunner.Features f = cached ? kept.get(wi * passes + pass)
                                        : mirrored ? encodeMirrored(rgb, width, win) : encode(rgb, width, win);
                                if (!cached && wi == 0 && pass == 0) {
                                    keep = f.bytes() * windows.size() * passes <= featureBudget;
                                }
                                long d0 = System.nanoTime();
                                try {
                                    NetworkRunner.Window out = runner.decode(f, text);
                                    long p0 = System.nanoTime();
                                    try (NetworkRunner.Logits logits = out.logits()) {
                                        if (!mirrored) { // the maps and attention are the upright pass's
                                            addMaps(out, win, s0, s, c2f, f2c);
                                        }
                                        band.add(logits.upsampled(win.width(), win.height()), win.x(),
                                                win.y() - top, win.width(), win.height(), Band.tent(win.width()),
                                                Band.tent(win.height()), mirrored);
                                    }
                                    decodeNanos += p0 - d0;
                                    postNanos += System.nanoTime() - p0;
                                } finally {
                                    if (!cached) {
                                        if (keep) {
                                            kept.add(f);
                                        } else {
                                            f.close();
                                        }
                                    }
                                }
                                encodeNanos += d0 - e0;
                            }
                            report(progress, ++done, windows.size());
                        }
                        // Rows no later window reaches are final; finish them (whole reduction blocks only).
                        boolean last = r == rows.size() - 1;
                        int end = last ? height : windows.get(rows.get(r + 1).getFirst()).y() / scale * scale;
                        if (end > top) {
                            long p0 = System.nanoTime();
                            // In chunks of rows, so the last step's intermediates stay small on a wide image.
                            int chunk = Math.max(scale, (int) (FINISH_VALUES / ((long) k * width)) / scale * scale);
                            for (int c0 = top; c0 < end; c0 += chunk) {
                                int c1 = Math.min(end, c0 + chunk);
                                NetworkRunner.Finished part = runner.finish(band, c0 - top, c1 - top, scale);
                                System.arraycopy(part.labels(), 0, labels, c0 * width, (c1 - c0) * width);
                                int pr = (c1 - c0 + scale - 1) / scale;
                                for (int c = 0; c < k; c++) {
                                    System.arraycopy(part.probabilities(), c * pr * pw, probabilities,
                                            (c * ph + c0 / scale) * pw, pr * pw);
                                }
                            }
                            if (!last) {
                                band.shift(end - top);
                            }
                            top = end;
                            postNanos += System.nanoTime() - p0;
                        }
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            if (!cached) {
                kept.forEach(NetworkRunner.Features::close);
            }
            throw e;
        }
        if (!cached && keep) {
            remember(key, kept);
        }
        long m0 = System.nanoTime();
        LabelMask mask = LabelMask.adopt(width, height, labels); // not copied: 300 MB for a 300 MP image
        ScoreMaps probabilityMaps = new ScoreMaps(k, pw, ph, scale, probabilities);
        ScoreMaps s0Maps = hasText ? new ScoreMaps(k, gw, gh, 32, s0.result()) : null;
        ScoreMaps sMaps = hasText ? new ScoreMaps(k, gw, gh, 32, s.result()) : null;
        AttentionMaps attention = units == 0 ? AttentionMaps.none(k, gw, gh)
                : attentionMaps(units, heads, k, gw, gh, c2f, f2c);
        postNanos += System.nanoTime() - m0;
        Timings timings = new Timings(cached ? 0 : encodeNanos / 1e6, textNanos / 1e6, decodeNanos / 1e6,
                postNanos / 1e6, windows.size(), cached);
        return new SegmentationResult(mask, probabilityMaps, s0Maps, sMaps, attention, prompts, timings,
                runner.describe());
    }

    private static void report(Progress progress, int done, int total) {
        if (progress != null && !progress.update(done, total)) {
            throw new java.util.concurrent.CancellationException("Segmenting was cancelled after " + done + " of "
                    + total + " windows");
        }
    }

    /**
     * The reduction of the probabilities: 1 (full resolution) until they would pass
     * {@link #MAX_PROBABILITY_VALUES}, else the smallest block size that keeps them within it.
     */
    static int probabilityScale(int k, int width, int height) {
        int scale = 1;
        while ((long) k * ((height + scale - 1) / scale) * ((width + scale - 1) / scale) > MAX_PROBABILITY_VALUES) {
            scale++;
        }
        return scale;
    }

    /** The plan's windows grouped by their top row, top to bottom (the plan is row-major). */
    private static List<List<Integer>> rows(List<WindowPlan.Window> windows) {
        List<List<Integer>> rows = new ArrayList<>();
        int y = -1;
        for (int i = 0; i < windows.size(); i++) {
            if (windows.get(i).y() != y) {
                rows.add(new ArrayList<>());
                y = windows.get(i).y();
            }
            rows.getLast().add(i);
        }
        return rows;
    }

    /** The normalised window, reused from window to window (a huge image has thousands). */
    private float[] windowPixels;

    private NetworkRunner.Features encode(int[] rgb, int width, WindowPlan.Window w) {
        int hp = (w.height() + 31) / 32 * 32;
        int wp = (w.width() + 31) / 32 * 32;
        windowPixels = ImageTensors.normalize(rgb, width, w.x(), w.y(), w.width(), w.height(), wp, hp, windowPixels);
        return runner.encode(windowPixels, hp, wp);
    }

    /** Encodes a window mirrored left to right (flip test-time augmentation). */
    private NetworkRunner.Features encodeMirrored(int[] rgb, int width, WindowPlan.Window w) {
        int[] mirrored = new int[w.width() * w.height()];
        for (int r = 0; r < w.height(); r++) {
            int src = (w.y() + r) * width + w.x();
            int dst = r * w.width();
            for (int i = 0; i < w.width(); i++) {
                mirrored[dst + i] = rgb[src + w.width() - 1 - i];
            }
        }
        return encode(mirrored, w.width(), new WindowPlan.Window(0, 0, w.width(), w.height()));
    }

    /** Adds one window's S₀, S and attention at their stride-32 cell in the whole image's grids. */
    private static void addMaps(NetworkRunner.Window out, WindowPlan.Window win, GridStitcher s0, GridStitcher s,
            List<GridStitcher> c2f, List<GridStitcher> f2c) {
        int gx = Math.round(win.x() / 32f);
        int gy = Math.round(win.y() / 32f);
        if (s != null) {
            s.add(out.s(), gx, gy, out.fw(), out.fh());
            s0.add(out.s0(), gx, gy, out.fw(), out.fh());
        }
        for (int u = 0; u < c2f.size(); u++) {
            c2f.get(u).add(out.c2f().get(u), gx, gy, out.fw(), out.fh());
            f2c.get(u).add(out.f2cPerToken().get(u), gx, gy, out.fw(), out.fh());
        }
    }

    private static AttentionMaps attentionMaps(int units, int heads, int k, int gw, int gh,
            List<GridStitcher> c2f, List<GridStitcher> f2c) {
        int n = gw * gh;
        float[][] c = new float[units][];
        float[][] f = new float[units][];
        for (int u = 0; u < units; u++) {
            c[u] = c2f.get(u).result();
            float[] perToken = f2c.get(u).result(); // (h, K, N) back to (h, N, K)
            float[] perPixel = new float[perToken.length];
            for (int h = 0; h < heads; h++) {
                for (int kk = 0; kk < k; kk++) {
                    for (int p = 0; p < n; p++) {
                        perPixel[(h * n + p) * k + kk] = perToken[(h * k + kk) * n + p];
                    }
                }
            }
            f[u] = perPixel;
        }
        return new AttentionMaps(units, heads, k, gw, gh, c, f);
    }

    /** Keeps an image's features, dropping the least recently used images' beyond the byte budget. */
    private void remember(long key, List<NetworkRunner.Features> features) {
        long bytes = features.stream().mapToLong(NetworkRunner.Features::bytes).sum();
        featureCache.put(key, features);
        featureCacheBytes += bytes;
        trimFeatures(key); // the newest stays (it fits alone: checked before it was kept)
    }

    /** Drops the least recently used images' features beyond the budget, except image {@code spare}'s. */
    private void trimFeatures(Long spare) {
        var it = featureCache.entrySet().iterator();
        while (featureCacheBytes > featureBudget && it.hasNext()) {
            var e = it.next();
            if (e.getKey().equals(spare)) {
                continue;
            }
            featureCacheBytes -= e.getValue().stream().mapToLong(NetworkRunner.Features::bytes).sum();
            e.getValue().forEach(NetworkRunner.Features::close);
            it.remove();
        }
    }

    /** Lets go of every image's kept encoder outputs, so the next segmentation encodes afresh (the bench). */
    public synchronized void forgetFeatures() {
        featureCache.values().forEach(list -> list.forEach(NetworkRunner.Features::close));
        featureCache.clear();
        featureCacheBytes = 0;
    }

    /** Sets the feature cache's budget (tests; the app keeps {@link #FEATURE_CACHE_BYTES}). */
    synchronized void featureBudget(long bytes) {
        featureBudget = bytes;
        trimFeatures(null);
    }

    /** The bytes of the encoder outputs kept now. */
    synchronized long featureCacheBytes() {
        return featureCacheBytes;
    }

    /** How many images' encoder outputs are kept now (for tests and the bench). */
    synchronized int cachedImages() {
        return featureCache.size();
    }

    private void releaseFeatures() {
        featureCache.values().forEach(l -> l.forEach(NetworkRunner.Features::close));
        featureCache.clear();
        featureCacheBytes = 0;
    }

    private static long contentKey(int[] rgb, int width, int height) {
        long h = 1125899906842597L;
        for (int v : rgb) {
            h = 31 * h + v;
        }
        return h * 31 + ((long) width << 32 | height);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        releaseFeatures();
        runner.close();
        textEncoder.close();
        if (model != null) {
            model.close();
        }
        if (root != null) {
            root.close();
        }
    }

    /** Creates the text encoder on first use, so a model with stored embeddings starts without one. */
    private static final class LazyTextEncoder implements TextEncoder {
        private final String id;
        private final Supplier<TextEncoder> factory;
        private TextEncoder delegate;

        LazyTextEncoder(String id, Supplier<TextEncoder> factory) {
            this.id = id;
            this.factory = factory;
        }

        @Override
        public String id() {
            return id;
        }

        private TextEncoder delegate() {
            if (delegate == null) {
                TextEncoder e = factory.get();
                if (!e.id().equals(id)) {
                    e.close();
                    throw new IllegalStateException("This model was built with the text encoder '" + id
                            + "', which is not available here, so new prompts cannot be encoded");
                }
                delegate = e;
            }
            return delegate;
        }

        @Override
        public int dimension() {
            return delegate().dimension();
        }

        @Override
        public float[][] embed(List<String> prompts) {
            return delegate().embed(prompts);
        }

        @Override
        public void close() {
            if (delegate != null) {
                delegate.close();
            }
        }
    }
}

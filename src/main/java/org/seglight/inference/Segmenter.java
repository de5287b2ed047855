package org.seglight.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.seglight.mask.LabelMask;
import org.seglight.model.Checkpoint;
import org.seglight.model.EncoderFeatures;
import org.seglight.model.InvalidModelException;
import org.seglight.model.ModelCard;
import org.seglight.model.ModelConfig;
import org.seglight.model.NetworkOutput;
import org.seglight.model.Ops;
import org.seglight.model.SeglightNetwork;
import org.seglight.model.TextEmbeddings;
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
    /** Above this many probability values the probabilities are returned at a reduced resolution. */
    private static final long MAX_PROBABILITY_VALUES = 64L << 20;

    private final NDManager root;
    private final Checkpoint.Loaded model;
    private final DevicePolicy.Choice device;
    private final LazyTextEncoder textEncoder;
    private final EmbeddingCache embeddings = new EmbeddingCache(4096);

    private long cachedImageKey;
    private NDManager featureManager;
    private List<EncoderFeatures> cachedFeatures;

    /** Loads a model file onto the device the policy picks. */
    public static Segmenter open(Path modelFile, DevicePolicy policy) throws InvalidModelException {
        DevicePolicy.Choice choice = policy.choose();
        NDManager root = NDManager.newBaseManager(choice.device(), "PyTorch");
        try {
            Checkpoint.Loaded loaded = Checkpoint.load(modelFile, root.newSubManager());
            return new Segmenter(root, loaded, choice, TransformerTextEncoder::miniLm);
        } catch (InvalidModelException | RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /**
     * @param root the manager the model lives under; closed with this segmenter
     * @param encoderFactory makes the text encoder the first time a prompt needs encoding
     */
    public Segmenter(NDManager root, Checkpoint.Loaded model, DevicePolicy.Choice device,
            Supplier<TextEncoder> encoderFactory) {
        this.root = root;
        this.model = model;
        this.device = device;
        Checkpoint.Contents c = model.contents();
        this.textEncoder = new LazyTextEncoder(c.textEncoderId(), encoderFactory);
        for (int k = 0; k < c.textEmbeddings().length; k++) {
            embeddings.put(c.textEncoderId(), c.prompts().prompts().get(k), c.textEmbeddings()[k]);
        }
        LOG.info("Model {} ({}, {} classes) on {}", c.card().name(), c.config().variant(), c.config().numClasses(),
                device.describe());
    }

    @Override
    public ModelConfig config() {
        return model.network().config();
    }

    /** The classes the model was trained with. */
    @Override
    public PromptSet defaultPrompts() {
        return model.contents().prompts();
    }

    @Override
    public ModelCard card() {
        return model.contents().card();
    }

    /** Which device runs the model, and why. */
    @Override
    public String deviceDescription() {
        return device.describe();
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
     * Segments an RGB image, as one padded window when {@code whole}, otherwise in sliding windows of the
     * network input size when the image is larger (docs/NETWORK.md §9).
     */
    @Override
    public synchronized SegmentationResult segment(BufferedImage image, PromptSet prompts, boolean whole) {
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
        int[] rgb = image.getRGB(0, 0, width, height, null, 0, width);
        List<WindowPlan.Window> windows = whole ? List.of(new WindowPlan.Window(0, 0, width, height))
                : WindowPlan.plan(width, height, config.inputWidth(), config.inputHeight());

        long t0 = System.nanoTime();
        float[][] text = config.variant().usesText() ? embed(prompts) : null;
        long t1 = System.nanoTime();
        boolean cached = ensureFeatures(rgb, width, height, windows);
        long t2 = System.nanoTime();

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
        long decodeNanos;
        long postStart;
        LabelMask mask;
        ScoreMaps probabilities;
        try (NDManager call = root.newSubManager()) {
            NDArray textArray = hasText ? TextEmbeddings.toArray(call, text) : null; // (K, C)
            NDArray sum = windows.size() > 1 ? call.zeros(new Shape(k, height, width), DataType.FLOAT32) : null;
            NDArray count = windows.size() > 1 ? call.zeros(new Shape(1, height, width), DataType.FLOAT32) : null;
            NDArray single = null;
            long d0 = System.nanoTime();
            long post = 0;
            for (int wi = 0; wi < windows.size(); wi++) {
                WindowPlan.Window win = windows.get(wi);
                // Each window's intermediates live in their own manager, freed before the next window: a
                // large image in many windows must not hold every window's decoder activations at once.
                NDManager windowManager = windows.size() > 1 ? call.newSubManager() : call;
                EncoderFeatures f = cachedFeatures.get(wi);
                for (NDArray a : new NDArray[] {f.c2(), f.c3(), f.c4(), f.top()}) {
                    a.tempAttach(windowManager);
                }
                NetworkOutput out = model.network().decode(f, textArray, false, true);
                long p0 = System.nanoTime();
                Shape ls = out.logits().getShape();
                NDArray logits = Ops.resizeBilinear(out.logits(), ls.get(2) * 4, ls.get(3) * 4)
                        .get(new NDIndex("0, :, :{}, :{}", win.height(), win.width())); // (K, h, w)
                int gx = Math.round(win.x() / 32f);
                int gy = Math.round(win.y() / 32f);
                int fw = (int) ls.get(3) / 8;
                int fh = (int) ls.get(2) / 8;
                if (hasText) {
                    s.add(out.s().toFloatArray(), gx, gy, fw, fh);
                    s0.add(out.s0().toFloatArray(), gx, gy, fw, fh);
                }
                for (int u = 0; u < units; u++) {
                    c2f.get(u).add(out.attnC2f().get(u).toFloatArray(), gx, gy, fw, fh); // (h·K, N)
                    NDArray perToken = out.attnF2c().get(u).transpose(0, 1, 3, 2);       // (1, h, K, N)
                    f2c.get(u).add(perToken.toFloatArray(), gx, gy, fw, fh);
                }
                if (windows.size() == 1) {
                    single = logits;
                } else {
                    NDIndex region = new NDIndex(":, {}:{}, {}:{}", win.y(), win.y() + win.height(), win.x(),
                            win.x() + win.width());
                    NDArray acc = sum.get(region);
                    NDArray seen = count.get(region);
                    acc.attach(windowManager);
                    seen.attach(windowManager);
                    sum.set(region, acc.add(logits));
                    count.set(region, seen.add(1f));
                    windowManager.close(); // the cached features go back to the feature cache
                }
                post += System.nanoTime() - p0;
            }
            decodeNanos = System.nanoTime() - d0 - post;
            // Post-processing time so far (inside the loop) counts towards the post timing below.
            postStart = System.nanoTime() - post;
            NDArray logits = single != null ? single : sum.div(count);    // (K, H, W)
            NDArray labels = logits.argMax(0).toType(DataType.UINT8, false); // (H, W)
            mask = new LabelMask(width, height, labels.toByteArray());
            NDArray prob = logits.softmax(0);
            int scale = 1;
            while ((long) k * (height / scale) * (width / scale) > MAX_PROBABILITY_VALUES) {
                scale++;
            }
            int pw = Math.max(1, width / scale);
            int ph = Math.max(1, height / scale);
            if (scale > 1) {
                prob = Ops.resizeBilinear(prob.expandDims(0), ph, pw).squeeze(0);
            }
            probabilities = new ScoreMaps(k, pw, ph, scale, prob.toFloatArray());
        }
        ScoreMaps s0Maps = hasText ? new ScoreMaps(k, gw, gh, 32, s0.result()) : null;
        ScoreMaps sMaps = hasText ? new ScoreMaps(k, gw, gh, 32, s.result()) : null;
        AttentionMaps attention = units == 0 ? AttentionMaps.none(k, gw, gh)
                : attentionMaps(units, heads, k, gw, gh, c2f, f2c);
        long end = System.nanoTime();
        Timings timings = new Timings(cached ? 0 : (t2 - t1) / 1e6, (t1 - t0) / 1e6, decodeNanos / 1e6,
                (end - postStart) / 1e6, windows.size(), cached);
        return new SegmentationResult(mask, probabilities, s0Maps, sMaps, attention, prompts, timings,
                device.describe());
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

    /** Encodes the image's windows unless the same pixels were encoded last time; returns whether cached. */
    private boolean ensureFeatures(int[] rgb, int width, int height, List<WindowPlan.Window> windows) {
        long key = contentKey(rgb, width, height) * 31 + windows.hashCode();
        if (cachedFeatures != null && key == cachedImageKey) {
            return true;
        }
        if (featureManager != null) {
            featureManager.close();
        }
        cachedFeatures = null;
        featureManager = root.newSubManager();
        List<EncoderFeatures> features = new ArrayList<>();
        for (WindowPlan.Window w : windows) {
            try (NDManager tmp = root.newSubManager()) {
                NDArray input = toTensor(tmp, rgb, width, w); // (1, 3, Hp, Wp)
                EncoderFeatures f = model.network().encode(input, false);
                for (NDArray a : new NDArray[] {f.c2(), f.c3(), f.c4(), f.top()}) {
                    a.attach(featureManager);
                }
                features.add(f);
            }
        }
        cachedFeatures = features;
        cachedImageKey = key;
        return false;
    }

    /** The window's pixels, normalised, zero-padded to multiples of 32, as (1, 3, Hp, Wp). */
    private static NDArray toTensor(NDManager manager, int[] rgb, int imageWidth, WindowPlan.Window w) {
        int hp = (w.height() + 31) / 32 * 32;
        int wp = (w.width() + 31) / 32 * 32;
        float[] data = ImageTensors.normalize(rgb, imageWidth, w.x(), w.y(), w.width(), w.height(), wp, hp);
        return manager.create(data, new Shape(1, 3, hp, wp));
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
        if (featureManager != null) {
            featureManager.close();
        }
        textEncoder.close();
        model.close();
        root.close();
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

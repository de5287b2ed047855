package org.seglight.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.seglight.inference.DevicePolicy;
import org.seglight.inference.ImageTensors;
import org.seglight.io.Safetensors;
import org.seglight.mask.LabelMask;
import org.seglight.model.Checkpoint;
import org.seglight.model.ClassCarryOver;
import org.seglight.model.EncoderFeatures;
import org.seglight.model.ModelCard;
import org.seglight.model.ModelConfig;
import org.seglight.model.NetworkOutput;
import org.seglight.model.Ops;
import org.seglight.model.SeglightNetwork;
import org.seglight.model.TextEmbeddings;
import org.seglight.model.Weights;
import org.seglight.task.Progress;
import org.seglight.text.PromptSet;

/**
 * Learns a class table from a few labelled images, starting from a model (docs/NETWORK.md §8, shortened for
 * minutes on a CPU): the app's "Learn from corrections" and {@code seglight learn}.
 *
 * <p>By default the image encoder is frozen: each training image is augmented into a fixed set of views whose
 * MobileNetV2 features (C2..C5) are computed once, so an iteration runs only the projection, the Conv-Former
 * units, the score map and the FPN on a batch of cached views. {@link Options#whole} fine-tunes everything on
 * freshly augmented crops instead, the encoder at a tenth of the rate. Classes the base model has (by name)
 * keep their weights; new ones start from the base's class nearest to their text ({@link ClassCarryOver}).
 *
 * <p>The rate follows a poly schedule over the run's progress, which is the share of its iterations or of its
 * time budget, whichever is further; the budget includes the feature cache. With held-out images the model is
 * scored on them as it learns and the best one is kept, so a cancelled run still returns its best model.
 */
public final class Learner {

    /**
     * How to learn.
     *
     * @param iterations a fixed number of iterations, or 0 to learn until the time budget is spent (both 0:
     *     only carry the base over to the new classes, which is what the base does before learning)
     * @param seconds the wall-time budget, caching included, or 0 for none
     * @param whole fine-tune the whole network (the encoder at a tenth of the rate) instead of caching features
     * @param maxViews augmented views cached over all images (memory: about 0.6 MB each at crop 256)
     */
    public record Options(long iterations, double seconds, boolean whole, int batch, int crop, double lr,
            long seed, int maxViews) {

        public Options {
            if (iterations < 0 || seconds < 0) {
                throw new IllegalArgumentException("Iterations and the time budget cannot be negative");
            }
            if (crop < 32 || crop % 32 != 0 || batch < 1) {
                throw new IllegalArgumentException("crop must be a positive multiple of 32 and batch positive");
            }
        }

        /** The defaults: batch 8, crop 256, lr 1e-3, 384 cached views, frozen encoder. */
        public static Options of(long iterations, double seconds) {
            return new Options(iterations, seconds, false, 8, 256, 1e-3, 42, 384);
        }

        public Options withWhole(boolean w) {
            return new Options(iterations, seconds, w, batch, crop, lr, seed, maxViews);
        }

        public Options withSeed(long s) {
            return new Options(iterations, seconds, whole, batch, crop, lr, s, maxViews);
        }
    }

    /**
     * One point of the live chart.
     *
     * @param heldOutMiou mIoU on the held-out images at this iteration, or NaN when not measured here
     */
    public record Point(long iteration, double seconds, double loss, double heldOutMiou, double iterationsPerSecond,
            double etaSeconds) {}

    /** Receives chart points on the learning thread. */
    @FunctionalInterface
    public interface Listener {
        void point(Point p);

        Listener NONE = p -> {};
    }

    /**
     * What a run produced.
     *
     * @param model the learned model (the best on the held-out images when there were any, else the last)
     * @param cacheSeconds time spent computing the cached features
     * @param secondsPerIteration mean time of one iteration after the cache
     * @param heldOutMiou mIoU of {@code model} on the held-out images, or NaN
     */
    public record Result(Checkpoint.Contents model, long iterations, double seconds, double cacheSeconds,
            double secondsPerIteration, double heldOutMiou, boolean cancelled, String carried) {}

    /** Learning data: images with labels in the new class table's indices (255 = not labelled). */
    public record Data(List<SegmentationDataset.Pair> train, List<SegmentationDataset.Pair> heldOut) {
        public Data {
            train = List.copyOf(train);
            heldOut = List.copyOf(heldOut);
            if (train.isEmpty()) {
                throw new IllegalArgumentException("There are no labelled images to learn from");
            }
        }
    }

    /** Cached encoder outputs of one view (or one whole held-out image) and its labels. */
    private record View(float[][] features, long[][] shapes, byte[] labels, int width, int height) {}

    private static final double MIN_LR = 1e-6;
    private static final int WARMUP = 20;

    private final Options options;

    public Learner(Options options) {
        this.options = options;
    }

    /**
     * Learns.
     *
     * @param base the model to start from (a learned model, the default model or the ImageNet base)
     * @param baseName how the card names the base
     * @param classes the new class table; label k of the data is class k
     * @param embeddings the text embeddings of {@code classes} from the base's text encoder (empty for fpn)
     * @param describe what the data is, for the model card (for example the image names)
     */
    public Result learn(Checkpoint.Contents base, String baseName, PromptSet classes, float[][] embeddings,
            Data data, String describe, Listener listener, Progress progress) {
        long start = System.nanoTime();
        // PyTorch's grad mode is per thread and on by default: a fresh thread (the app's learning lane) would
        // record the optimizer's in-place updates and fail. Only the GradientCollector turns it on, and back.
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        ModelConfig config = base.config().withNumClasses(classes.size());
        if (!config.variant().usesText()) {
            embeddings = new float[0][];
        }
        DevicePolicy.Choice device = DevicePolicy.AUTO.choose();
        Engine.getEngine("PyTorch").setRandomSeed((int) options.seed());
        try (NDManager root = NDManager.newBaseManager(device.device(), "PyTorch");
                SeglightNetwork net = new SeglightNetwork(config, root.newSubManager())) {
            String carried = carryOver(net, base, classes, embeddings);
            Predicate<String> trains = options.whole() ? name -> true : name -> !name.startsWith("encoder.");
            net.parameters().requireGradients(true, trains);
            AdamW optimizer = new AdamW(net.parameters(), 1e-4f, 0.1f, trains);

            boolean learns = options.iterations() > 0 || options.seconds() > 0;
            List<View> views = options.whole() || !learns ? List.of() : cacheViews(net, root, data.train(), progress, start);
            if (learns && !options.whole() && views.isEmpty() && !progress.isCancelled()) {
                throw new IllegalStateException("No training view could be prepared within the time budget");
            }
            List<View> heldOut = cacheWhole(net, root, data.heldOut(), progress);
            double cacheSeconds = (System.nanoTime() - start) / 1e9;

            Map<String, Safetensors.Tensor> best = null;
            double bestMiou = Double.NaN;
            long loopStart = System.nanoTime();
            long iter = 0;
            double emaLoss = Double.NaN;
            double lastEvalAt = 0;
            boolean cancelled = false;
            while (true) {
                double elapsed = (System.nanoTime() - start) / 1e9;
                double fraction = fraction(iter, elapsed, (System.nanoTime() - loopStart) / 1e9, cacheSeconds);
                if (fraction >= 1) {
                    break;
                }
                if (progress.isCancelled()) {
                    cancelled = true;
                    break;
                }
                double rate = rate(iter, fraction);
                float loss = options.whole() ? stepWhole(net, root, optimizer, data.train(), embeddings, iter, rate)
                        : stepCached(net, root, optimizer, views, embeddings, iter, rate);
                iter++;
                emaLoss = Double.isNaN(emaLoss) ? loss : 0.9 * emaLoss + 0.1 * loss;
                double loopSeconds = (System.nanoTime() - loopStart) / 1e9;
                double perIt = loopSeconds / iter;
                double after = (System.nanoTime() - start) / 1e9;
                double done = fraction(iter, after, loopSeconds, cacheSeconds);
                double eta = done <= 0 ? Double.NaN : Math.max(0, loopSeconds / done - loopSeconds);
                double miou = Double.NaN;
                boolean last = done >= 1;
                if (!heldOut.isEmpty() && (done - lastEvalAt >= 0.1 || last)) {
                    miou = evaluate(net, root, heldOut, data.heldOut(), embeddings, config.numClasses());
                    lastEvalAt = done;
                    if (best == null || miou > bestMiou) {
                        bestMiou = miou;
                        best = Weights.export(net.parameters());
                    }
                }
                listener.point(new Point(iter, after, emaLoss, miou, 1 / perIt, eta));
                progress.update(String.format("Learning: iteration %d, loss %.3f%s, %.1f it/s, %s left", iter,
                        emaLoss, Double.isNaN(bestMiou) ? "" : String.format(", best held-out mIoU %.1f",
                                100 * bestMiou), 1 / perIt, Trainer.formatEta(Double.isNaN(eta) ? 0 : eta)),
                        Math.round(1000 * Math.min(1, done)), 1000);
            }
            if (iter > 0 && cancelled && !heldOut.isEmpty()) {
                double miou = evaluate(net, root, heldOut, data.heldOut(), embeddings, config.numClasses());
                if (best == null || miou > bestMiou) {
                    bestMiou = miou;
                    best = null;
                }
            }
            Map<String, Safetensors.Tensor> weights = best != null ? best : Weights.export(net.parameters());
            double seconds = (System.nanoTime() - start) / 1e9;
            double perIt = iter == 0 ? Double.NaN : ((System.nanoTime() - loopStart) / 1e9) / iter;
            ModelCard card = card(base, baseName, classes, data, describe, iter, seconds, perIt, bestMiou,
                    cacheSeconds, views.size());
            Checkpoint.Contents model = new Checkpoint.Contents(config, weights, classes, base.textEncoderId(),
                    embeddings, card);
            return new Result(model, iter, seconds, cacheSeconds, perIt, bestMiou, cancelled, carried);
        }
    }

    /** The share of the run done: of its iterations, or of its time left after the cache. */
    private double fraction(long iter, double elapsed, double loopSeconds, double cacheSeconds) {
        if (options.iterations() == 0 && options.seconds() == 0) {
            return 1;
        }
        double f = 0;
        if (options.iterations() > 0) {
            f = (double) iter / options.iterations();
        }
        if (options.seconds() > 0) {
            double left = options.seconds() - cacheSeconds;
            f = Math.max(f, left <= 0 ? 1 : loopSeconds / left);
            if (elapsed >= options.seconds()) {
                f = 1;
            }
        }
        return f;
    }

    /** Poly decay over the run's progress with a short linear warm-up. */
    private double rate(long iter, double fraction) {
        double lr = (options.lr() - MIN_LR) * Math.pow(1 - Math.min(1, fraction), 0.9) + MIN_LR;
        if (iter < WARMUP) {
            lr *= (iter + 1.0) / WARMUP;
        }
        return lr;
    }

    /**
     * The text embeddings of a class table from the text encoder the base was made with.
     *
     * @throws IllegalArgumentException when the base was made with another text encoder than this Seglight has
     */
    public static float[][] embed(Checkpoint.Contents base, String baseName, PromptSet classes) {
        try (org.seglight.text.TextEncoder encoder = org.seglight.text.TransformerTextEncoder.miniLm()) {
            if (!encoder.id().equals(base.textEncoderId())) {
                throw new IllegalArgumentException(baseName + " was made with the text encoder "
                        + base.textEncoderId() + "; this Seglight has " + encoder.id());
            }
            return encoder.embed(classes.prompts());
        }
    }

    /** Loads the base into the new network; returns the sentence that says what carried over. */
    private static String carryOver(SeglightNetwork net, Checkpoint.Contents base, PromptSet classes,
            float[][] embeddings) {
        boolean hasDecoder = !base.isLearningBase();
        int[] sameName = hasDecoder ? ClassCarryOver.byName(base.prompts().names(), classes.names())
                : filled(classes.size());
        int[] nearest = hasDecoder ? ClassCarryOver.nearestByText(base.textEmbeddings(), embeddings, sameName)
                : filled(classes.size());
        ClassCarryOver.Report r = ClassCarryOver.load(net.parameters(), net.config(), base.weights(),
                base.config().numClasses(), sameName, nearest);
        if (r.freshTensors().stream().anyMatch(n -> n.startsWith("encoder."))) {
            throw new IllegalArgumentException("The base model's image encoder does not fit this network");
        }
        if (!hasDecoder) {
            return "the encoder comes from the base; the decoder and all " + classes.size() + " classes start afresh";
        }
        return r.kept() + " classes keep their weights, " + r.fromText() + " start from the base's class nearest to"
                + " their text, " + r.afresh() + " afresh";
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }

    /** Augments every training image into a fixed set of views and runs the frozen encoder on them once. */
    private List<View> cacheViews(SeglightNetwork net, NDManager root, List<SegmentationDataset.Pair> train,
            Progress progress, long start) {
        int n = train.size();
        int perImage = Math.max(4, Math.min(48, options.maxViews() / n));
        int c = options.crop();
        List<View> out = new ArrayList<>();
        int total = n * perImage;
        int group = 8;
        List<Augmentation.Sample> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SegmentationDataset.Pair pair = train.get(i);
            Augmentation aug = augmentation(pair);
            for (int v = 0; v < perImage; v++) {
                if (progress.isCancelled()) {
                    return out;
                }
                if (options.seconds() > 0 && (System.nanoTime() - start) / 1e9 > options.seconds() * 0.5) {
                    break; // never spend more than half the budget on the cache
                }
                pending.add(aug.apply(pair, new Random(options.seed() * 1_000_003L + i * 4099L + v)));
                if (pending.size() == group) {
                    out.addAll(encode(net, root, pending, c, c, c, c));
                    pending.clear();
                    progress.update("Computing image features: " + out.size() + " of " + total + " views",
                            out.size(), total);
                }
            }
        }
        if (!pending.isEmpty()) {
            out.addAll(encode(net, root, pending, c, c, c, c));
        }
        return out;
    }

    /** Random rescale to 0.75-1.5 of the image's own size, crop, flip, photometric distortion. */
    private Augmentation augmentation(SegmentationDataset.Pair pair) {
        int longSide = Math.max(pair.width(), pair.height());
        int shortSide = Math.min(pair.width(), pair.height());
        return new Augmentation(longSide, shortSide, 0.75, 1.5, options.crop(), 0.75);
    }

    private static List<View> encode(SeglightNetwork net, NDManager root, List<Augmentation.Sample> samples, int pw,
            int ph, int w, int h) {
        int b = samples.size();
        float[] images = new float[b * 3 * ph * pw];
        for (int j = 0; j < b; j++) {
            System.arraycopy(samples.get(j).image(), 0, images, j * 3 * ph * pw, 3 * ph * pw);
        }
        List<View> out = new ArrayList<>();
        try (NDManager call = root.newSubManager()) {
            NDArray[] c = net.backbone(call.create(images, new Shape(b, 3, ph, pw)), false);
            float[][] all = new float[4][];
            long[][] shapes = new long[4][];
            for (int f = 0; f < 4; f++) {
                all[f] = c[f].toFloatArray();
                long[] s = c[f].getShape().getShape();
                shapes[f] = new long[] {s[1], s[2], s[3]};
            }
            for (int j = 0; j < b; j++) {
                float[][] mine = new float[4][];
                for (int f = 0; f < 4; f++) {
                    int len = (int) (shapes[f][0] * shapes[f][1] * shapes[f][2]);
                    mine[f] = Arrays.copyOfRange(all[f], j * len, (j + 1) * len);
                }
                out.add(new View(mine, shapes, samples.get(j).labels(), w, h));
            }
        }
        return out;
    }

    /** The frozen encoder's features of each held-out image, whole and padded to a multiple of 32. */
    private List<View> cacheWhole(SeglightNetwork net, NDManager root, List<SegmentationDataset.Pair> pairs,
            Progress progress) {
        if (options.whole()) {
            return placeholders(pairs);
        }
        List<View> out = new ArrayList<>();
        for (SegmentationDataset.Pair p : pairs) {
            int pw = pad(p.width());
            int ph = pad(p.height());
            float[] image = ImageTensors.normalize(p.rgb(), p.width(), 0, 0, p.width(), p.height(), pw, ph);
            out.addAll(encode(net, root, List.of(new Augmentation.Sample(image, p.labels())), pw, ph, p.width(),
                    p.height()));
            progress.update("Computing features of the held-out images", out.size(), pairs.size());
        }
        return out;
    }

    /** Whole-network learning re-encodes held-out images at each evaluation: views without features. */
    private static List<View> placeholders(List<SegmentationDataset.Pair> pairs) {
        List<View> out = new ArrayList<>();
        for (SegmentationDataset.Pair p : pairs) {
            out.add(new View(null, null, p.labels(), p.width(), p.height()));
        }
        return out;
    }

    private static int pad(int n) {
        return (n + 31) / 32 * 32;
    }

    private float stepCached(SeglightNetwork net, NDManager root, AdamW optimizer, List<View> views,
            float[][] embeddings, long iter, double rate) {
        Random rnd = new Random(options.seed() * 7919L + iter);
        int b = Math.min(options.batch(), views.size());
        List<View> picked = new ArrayList<>();
        for (int j = 0; j < b; j++) {
            picked.add(views.get(rnd.nextInt(views.size())));
        }
        int c = options.crop();
        try (NDManager call = root.newSubManager()) {
            NDArray[] feats = new NDArray[4];
            for (int f = 0; f < 4; f++) {
                long[] s = picked.get(0).shapes()[f];
                int len = (int) (s[0] * s[1] * s[2]);
                float[] data = new float[b * len];
                for (int j = 0; j < b; j++) {
                    System.arraycopy(picked.get(j).features()[f], 0, data, j * len, len);
                }
                feats[f] = call.create(data, new Shape(b, s[0], s[1], s[2]));
            }
            long[] labels = new long[b * c * c];
            for (int j = 0; j < b; j++) {
                byte[] l = picked.get(j).labels();
                for (int p = 0; p < c * c; p++) {
                    labels[j * c * c + p] = l[p] & 0xff;
                }
            }
            NDArray y = call.create(labels, new Shape(b, c, c));
            return optimise(net, call, optimizer, () -> net.project(feats), y, embeddings, iter, rate);
        }
    }

    private float stepWhole(SeglightNetwork net, NDManager root, AdamW optimizer,
            List<SegmentationDataset.Pair> train, float[][] embeddings, long iter, double rate) {
        Random rnd = new Random(options.seed() * 7919L + iter);
        int b = options.batch();
        int c = options.crop();
        float[] images = new float[b * 3 * c * c];
        long[] labels = new long[b * c * c];
        for (int j = 0; j < b; j++) {
            SegmentationDataset.Pair pair = train.get(rnd.nextInt(train.size()));
            Augmentation.Sample s = augmentation(pair).apply(pair, rnd);
            System.arraycopy(s.image(), 0, images, j * 3 * c * c, 3 * c * c);
            for (int p = 0; p < c * c; p++) {
                labels[j * c * c + p] = s.labels()[p] & 0xff;
            }
        }
        try (NDManager call = root.newSubManager()) {
            NDArray x = call.create(images, new Shape(b, 3, c, c));
            NDArray y = call.create(labels, new Shape(b, c, c));
            return optimise(net, call, optimizer, () -> net.encode(x, true), y, embeddings, iter, rate);
        }
    }

    private float optimise(SeglightNetwork net, NDManager call, AdamW optimizer,
            java.util.function.Supplier<EncoderFeatures> features, NDArray labels, float[][] embeddings, long iter,
            double rate) {
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) (options.seed() * 1_000_003L + iter));
        NDArray text = embeddings.length > 0 ? TextEmbeddings.toArray(call, embeddings) : null;
        float loss;
        try (GradientCollector gc = engine.newGradientCollector()) {
            NetworkOutput out = net.decode(features.get(), text, true, false);
            NDArray total = Losses.total(out, labels, net.config());
            gc.backward(total);
            loss = total.getFloat();
        }
        if (!Float.isFinite(loss)) {
            throw new IllegalStateException("The loss became " + loss + " at iteration " + iter
                    + "; learning stopped (try fewer classes or more labelled pixels)");
        }
        optimizer.step(multiplier -> rate * multiplier);
        return loss;
    }

    /** mIoU on the held-out images (whole-image inference, as the app segments them). */
    private double evaluate(SeglightNetwork net, NDManager root, List<View> heldOut,
            List<SegmentationDataset.Pair> pairs, float[][] embeddings, int k) {
        ConfusionMatrix cm = new ConfusionMatrix(k);
        for (int i = 0; i < heldOut.size(); i++) {
            View v = heldOut.get(i);
            try (NDManager call = root.newSubManager()) {
                EncoderFeatures f;
                int pw = pad(v.width());
                int ph = pad(v.height());
                if (v.features() == null) {
                    SegmentationDataset.Pair p = pairs.get(i);
                    float[] image = ImageTensors.normalize(p.rgb(), p.width(), 0, 0, p.width(), p.height(), pw, ph);
                    f = net.encode(call.create(image, new Shape(1, 3, ph, pw)), false);
                } else {
                    NDArray[] c = new NDArray[4];
                    for (int j = 0; j < 4; j++) {
                        long[] s = v.shapes()[j];
                        c[j] = call.create(v.features()[j], new Shape(1, s[0], s[1], s[2]));
                    }
                    f = net.project(c);
                }
                NDArray text = embeddings.length > 0 ? TextEmbeddings.toArray(call, embeddings) : null;
                NDArray logits = net.decode(f, text, false, false).logits();
                NDArray up = Ops.resizeBilinear(logits, ph, pw);
                NDArray labels = up.argMax(1).squeeze(0); // (ph, pw)
                NDArray cropped = labels.get(new ai.djl.ndarray.index.NDIndex("0:" + v.height() + ", 0:"
                        + v.width()));
                long[] pred = cropped.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
                byte[] bytes = new byte[pred.length];
                for (int p = 0; p < pred.length; p++) {
                    bytes[p] = (byte) pred[p];
                }
                cm.add(new LabelMask(v.width(), v.height(), bytes), v.labels());
            }
        }
        return cm.meanIou();
    }

    private ModelCard card(Checkpoint.Contents base, String baseName, PromptSet classes, Data data, String describe,
            long iter, double seconds, double perIt, double miou, double cacheSeconds, int views) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (!Double.isNaN(miou)) {
            metrics.put("held_out_miou", miou);
        }
        String mode = options.whole()
                ? "whole network fine-tuned (encoder at 0.1x the rate)"
                : "image encoder frozen, its features cached for " + views + " augmented views ("
                        + String.format("%.0f", cacheSeconds) + " s)";
        String notes = String.format("learned from %s; classes: %s; %d iterations in %.0f s (%.3f s/iteration), %s;"
                + " batch %d, crop %d, AdamW lr %.0e poly; %d held-out images%s", baseName,
                String.join(", ", classes.names()), iter, seconds, perIt, mode, options.batch(), options.crop(),
                options.lr(), data.heldOut().size(), Double.isNaN(miou) ? ""
                        : String.format(" (best mIoU %.1f)", 100 * miou));
        return new ModelCard("learned: " + String.join(", ", classes.names()), describe,
                "the licence of the images it learned from applies; base: " + base.card().licence(), metrics,
                Map.of(), iter, seconds, notes, java.time.Instant.now().toString());
    }
}

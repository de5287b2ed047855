package org.seglight.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.Gson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.seglight.inference.DevicePolicy;
import org.seglight.inference.Segmenter;
import org.seglight.io.AtomicFile;
import org.seglight.io.Safetensors;
import org.seglight.model.Checkpoint;
import org.seglight.model.ClassCarryOver;
import org.seglight.model.InvalidModelException;
import org.seglight.model.ModelCard;
import org.seglight.model.ModelConfig;
import org.seglight.model.NetworkOutput;
import org.seglight.model.SeglightNetwork;
import org.seglight.model.TextEmbeddings;
import org.seglight.model.Weights;
import org.seglight.task.Progress;
import org.seglight.text.PromptSet;
import org.seglight.text.TextEncoder;
import org.seglight.text.TransformerTextEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a Seglight network with the recipe of docs/NETWORK.md §4 and §8: augmented batches, cross entropy
 * with ignore plus the auxiliary score-map loss, AdamW with the encoder at a tenth of the rate, poly schedule
 * with warm-up.
 *
 * <p>Every random choice of iteration i (which samples, their augmentation, dropout) is seeded from the run's
 * seed and i alone, so a run resumed from a checkpoint continues exactly as an uninterrupted one would.
 * Cancellation is honoured between batches and always leaves a resumable checkpoint. The checkpoint and its
 * optimizer state are written as a pair of one iteration before any evaluation, so an evaluation that fails
 * leaves a resumable pair too; a resume refuses a pair from two iterations, which could not continue exactly.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final Gson GSON = new Gson();

    /**
     * What a run left behind; {@code damaged} names the training pairs whose image is damaged: left out, or
     * trained on as read when {@code damagedIncluded}.
     */
    public record Summary(Path model, Path best, long iterations, double seconds, EvalResult lastEval,
            boolean cancelled, List<SegmentationDataset.Damaged> damaged, boolean damagedIncluded) {

        public Summary {
            damaged = List.copyOf(damaged);
        }
    }

    /** A ready batch: (B, 3, crop, crop) images and (B, crop, crop) labels. */
    private record Batch(float[] images, long[] labels) {}

    /** Scores a model file on the validation set; a seam so tests can make an evaluation fail. */
    @FunctionalInterface
    interface Evaluation {
        EvalResult evaluate(Path model, SegmentationDataset val, Progress progress)
                throws IOException, InvalidModelException;
    }

    private final TrainConfig cfg;
    private final Path configDir;
    private final Path outDir;
    private final Evaluation evaluation;

    public Trainer(TrainConfig cfg, Path configDir, Path outDir) {
        this(cfg, configDir, outDir, Trainer::evaluate);
    }

    /** A trainer that evaluates with {@code evaluation} (for tests). */
    Trainer(TrainConfig cfg, Path configDir, Path outDir, Evaluation evaluation) {
        this.cfg = cfg;
        this.configDir = configDir;
        this.outDir = outDir;
        this.evaluation = evaluation;
    }

    /** The model file a run writes at the end. */
    public Path modelPath() {
        return outDir.resolve("model.seglight");
    }

    /** The checkpoint written every {@code checkpointEvery} iterations, to resume from. */
    public Path lastPath() {
        return outDir.resolve("last.seglight");
    }

    static Path statePath(Path model) {
        return model.resolveSibling(model.getFileName().toString().replace(Checkpoint.EXTENSION, "")
                + ".state.safetensors");
    }

    /**
     * Where the weights of a fine-tuning run came from ("camvid-lite-4000 (convformer): trained on camvid /
     * train.txt (367 image/label pairs), 3600 iterations"), or null for a run from ImageNet; kept in the
     * optimizer state so that a resumed run still names it.
     */
    private String origin;

    /**
     * Trains.
     *
     * @param resume a checkpoint written by an earlier run ({@code last.seglight}), or null
     * @param init a model to start from instead of the ImageNet encoder (fine-tuning: a fresh optimizer and
     *     schedule; classes are carried over by name, see {@link ClassCarryOver}; other tensors whose shape
     *     differs start as initialised), or null
     */
    public Summary run(Path dataDir, Path resume, Path init, Progress progress)
            throws IOException, InvalidModelException {
        return run(dataDir, resume, init, false, progress);
    }

    /**
     * As {@link #run(Path, Path, Path, Progress)}; a pair whose image file is damaged (it decodes only in part)
     * is left out, named in the log and the summary, unless {@code includeDamaged}, when it is trained on as read.
     * A resumed run should be given the same choice, or its pairs, and so its batches, differ.
     */
    public Summary run(Path dataDir, Path resume, Path init, boolean includeDamaged, Progress progress)
            throws IOException, InvalidModelException {
        if (resume != null && init != null) {
            throw new IllegalArgumentException("--resume continues a run and --init starts a new one: give one");
        }
        Checkpoint.Contents resumed = null;
        Safetensors.Contents resumedState = null;
        if (resume != null) {
            // Read first, so a checkpoint that cannot continue exactly is refused before the data is checked.
            resumed = Checkpoint.read(resume);
            resumedState = Safetensors.read(statePath(resume));
            long weightsAt = resumed.card().iterations();
            long stateAt = Long.parseLong(resumedState.metadata().get("iteration"));
            if (weightsAt != stateAt) {
                throw new InvalidModelException(resume.getFileName() + " holds the weights of iteration " + weightsAt
                        + " but its optimizer state " + statePath(resume).getFileName() + " is of iteration "
                        + stateAt + ", so the run cannot continue exactly; start a new run with --init "
                        + resume.getFileName() + " to keep the weights");
            }
        }
        Files.createDirectories(outDir);
        SegmentationDataset train = checked(SegmentationDataset.open(dataDir, cfg.trainSplit, null, cfg.voidIndex,
                cfg.template), includeDamaged, "training", progress);
        SegmentationDataset val = null;
        if (cfg.valSplit != null && cfg.evalEvery > 0) {
            val = checked(SegmentationDataset.open(dataDir, cfg.valSplit, null, cfg.voidIndex, cfg.template),
                    includeDamaged, "validation", progress);
        }
        PromptSet prompts = train.classes();
        float[][] embeddings;
        String encoderId;
        try (TextEncoder encoder = TransformerTextEncoder.miniLm()) {
            embeddings = encoder.embed(prompts.prompts());
            encoderId = encoder.id();
        }
        ModelConfig config = cfg.modelConfig(prompts.size(), embeddings[0].length);
        if (!config.variant().usesText()) {
            embeddings = new float[0][];
        }
        if (cfg.classWeights != null && cfg.classWeights.length != prompts.size()) {
            throw new IllegalArgumentException("classWeights has " + cfg.classWeights.length + " weights but the "
                    + "data has " + prompts.size() + " classes (" + String.join(", ", prompts.names()) + ")");
        }
        Files.writeString(outDir.resolve("train_config.json"), cfg.toJson());
        DevicePolicy.Choice device = DevicePolicy.AUTO.choose();
        LOG.info("Training {} on {} ({} pairs), {}", config.variant(), device.describe(), train.samples().size(),
                dataDir);
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) cfg.seed);
        ai.djl.pytorch.jni.JniUtils.setGradMode(false); // per thread, on by default: see Learner
        try (NDManager root = NDManager.newBaseManager(device.device(), "PyTorch");
                SeglightNetwork net = new SeglightNetwork(config, root.newSubManager());
                BufferedWriter log = Files.newBufferedWriter(outDir.resolve("train_log.jsonl"), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "seglight-batches");
                    t.setDaemon(true);
                    return t;
                })) {
            if (!train.damaged().isEmpty()) {
                Map<String, Object> rec = new LinkedHashMap<>();
                rec.put(includeDamaged ? "damaged_included" : "damaged_left_out", train.damaged().stream()
                        .map(d -> Map.of("image", d.name(), "damage", d.damage())).toList());
                writeLog(log, rec);
            }
            AdamW optimizer = new AdamW(net.parameters(), (float) cfg.weightDecay, (float) cfg.encoderLrMult);
            long start = 0;
            double previousSeconds = 0;
            double bestMiou = -1;
            if (resume != null) {
                if (!resumed.config().equals(config)) {
                    throw new InvalidModelException(resume.getFileName() + " was trained with another model config");
                }
                Weights.load(net.parameters(), resumed.weights());
                Safetensors.Contents state = resumedState;
                start = Long.parseLong(state.metadata().get("iteration"));
                previousSeconds = Double.parseDouble(state.metadata().get("seconds"));
                bestMiou = Double.parseDouble(state.metadata().getOrDefault("best_miou", "-1"));
                optimizer.restore(state.tensors(), Long.parseLong(state.metadata().get("steps")));
                origin = state.metadata().get("origin");
                LOG.info("Resumed from {} at iteration {}", resume, start);
            } else if (init != null) {
                Checkpoint.Contents c = Checkpoint.read(init);
                origin = c.card().name() + ": " + c.card().data() + ", " + c.card().iterations() + " iterations";
                if (c.config().variant() != config.variant()) {
                    throw new InvalidModelException(init.getFileName() + " is a " + c.config().variant()
                            + " model; this run trains " + config.variant());
                }
                // Classes are matched by name: a class the data names as the model did keeps its learned
                // classifier row (and S column), wherever it now stands; a new one starts from the nearest by text.
                int[] sameName = ClassCarryOver.byName(c.prompts().names(), prompts.names());
                int[] nearest = ClassCarryOver.nearestByText(c.textEmbeddings(), embeddings, sameName);
                ClassCarryOver.Report carried = ClassCarryOver.load(net.parameters(), config, c.weights(),
                        c.config().numClasses(), sameName, nearest);
                List<String> fresh = carried.freshTensors();
                if (fresh.size() == net.parameters().entries().size()) {
                    throw new InvalidModelException(init.getFileName() + " shares no weights with this network");
                }
                LOG.info("Started from {}: {} classes keep their weights, {} start from the nearest class by text, {}"
                        + " afresh; {} tensors initialised afresh{}", init, carried.kept(), carried.fromText(),
                        carried.afresh(), fresh.size(), fresh.isEmpty() ? ""
                                : " (" + String.join(", ", fresh.subList(0, Math.min(5, fresh.size())))
                                        + (fresh.size() > 5 ? ", ..." : "") + ")");
            } else if (cfg.imagenet != null) {
                Path w = configDir.resolve(cfg.imagenet);
                if (Files.isDirectory(w)) {
                    w = w.resolve("mobilenetv2_imagenet_folded.safetensors");
                }
                Weights.loadImageNetEncoder(net.parameters(), w, config.normEps());
            }
            net.parameters().requireGradients(true);
            PolySchedule schedule = cfg.schedule();
            Augmentation aug = cfg.augmentation();
            long runStart = System.nanoTime();
            EvalResult lastEval = null;
            Path best = null;
            boolean cancelled = false;
            final long first = start;
            long iter = start;
            Future<Batch> next = loader.submit(() -> batch(train, aug, first));
            double emaSeconds = 0;
            while (iter < cfg.iterations) {
                if (progress.isCancelled()) {
                    cancelled = true;
                    break;
                }
                long t0 = System.nanoTime();
                Batch b = await(next);
                long following = iter + 1;
                next = following < cfg.iterations ? loader.submit(() -> batch(train, aug, following)) : null;
                float[] losses = step(net, root, optimizer, schedule, b, embeddings, iter);
                float loss = losses[0];
                iter++;
                double sec = (System.nanoTime() - t0) / 1e9;
                emaSeconds = emaSeconds == 0 ? sec : 0.9 * emaSeconds + 0.1 * sec;
                double eta = emaSeconds * (cfg.iterations - iter);
                progress.update(String.format("iter %d/%d loss %.4f lr %.2e %.2f s/it %.1f img/s ETA %s", iter,
                        cfg.iterations, loss, schedule.rate(iter - 1, 1), emaSeconds, cfg.batch / emaSeconds,
                        formatEta(eta)), iter, cfg.iterations);
                if (iter % cfg.logEvery == 0 || iter == cfg.iterations) {
                    Map<String, Object> rec = new LinkedHashMap<>();
                    rec.put("iter", iter);
                    rec.put("loss", loss);
                    rec.put("loss_seg", losses[1]);
                    rec.put("loss_aux", losses[2]);
                    rec.put("lr", schedule.rate(iter - 1, 1));
                    rec.put("sec_per_iter", emaSeconds);
                    rec.put("images_per_sec", cfg.batch / emaSeconds);
                    rec.put("elapsed_s", previousSeconds + (System.nanoTime() - runStart) / 1e9);
                    rec.put("eta_s", eta);
                    writeLog(log, rec);
                }
                boolean checkpoint = iter % cfg.checkpointEvery == 0 || iter == cfg.iterations;
                boolean evaluate = val != null && cfg.evalEvery > 0 && (iter % cfg.evalEvery == 0
                        || iter == cfg.iterations);
                if (checkpoint || evaluate) {
                    double seconds = previousSeconds + (System.nanoTime() - runStart) / 1e9;
                    // The checkpoint and its optimizer state are written as a pair before evaluating (the
                    // evaluator reads the model file), so an evaluation that fails leaves both at this iteration.
                    save(lastPath(), net, optimizer, prompts, encoderId, embeddings, iter, seconds, bestMiou, lastEval,
                            train);
                    if (evaluate) {
                        lastEval = evaluation.evaluate(lastPath(), val, progress);
                        Map<String, Object> rec = new LinkedHashMap<>();
                        rec.put("iter", iter);
                        rec.put("val_miou", lastEval.miou());
                        rec.put("val_pixel_accuracy", lastEval.pixelAccuracy());
                        rec.put("val_per_class", lastEval.perClass());
                        writeLog(log, rec);
                        LOG.info("iter {}: val mIoU {}", iter, String.format("%.4f", lastEval.miou()));
                        boolean improved = lastEval.miou() > bestMiou;
                        bestMiou = Math.max(bestMiou, lastEval.miou());
                        // Again, with the metrics on the model card and the best mIoU in the state.
                        save(lastPath(), net, optimizer, prompts, encoderId, embeddings, iter, seconds, bestMiou,
                                lastEval, train);
                        if (improved) {
                            best = outDir.resolve("best.seglight");
                            copyAtomically(lastPath(), best);
                            copyAtomically(statePath(lastPath()), statePath(best));
                        }
                    }
                }
            }
            double seconds = previousSeconds + (System.nanoTime() - runStart) / 1e9;
            save(lastPath(), net, optimizer, prompts, encoderId, embeddings, iter, seconds, bestMiou, lastEval, train);
            if (!cancelled) {
                copyAtomically(lastPath(), modelPath());
            }
            return new Summary(cancelled ? lastPath() : modelPath(), best, iter, seconds, lastEval, cancelled,
                    train.damaged(), includeDamaged);
        }
    }

    /** For the model card: the damaged images left out of the training pairs, or trained on as read. */
    static String damagedNote(SegmentationDataset train) {
        List<SegmentationDataset.Damaged> d = train.damaged();
        if (d.isEmpty()) {
            return "";
        }
        String names = String.join(", ", d.stream().map(SegmentationDataset.Damaged::name).limit(10).toList())
                + (d.size() > 10 ? ", ..." : "");
        return train.includesDamaged() ? "; " + d.size() + " of them damaged, used as read: " + names
                : "; " + d.size() + " damaged image(s) left out: " + names;
    }

    /** The pairs of a split fit to use, its damaged images left out (or kept when included), and said so. */
    private static SegmentationDataset checked(SegmentationDataset data, boolean includeDamaged, String split,
            Progress progress) throws IOException {
        SegmentationDataset checked = (includeDamaged ? data.includingDamaged() : data).checked(progress);
        for (SegmentationDataset.Damaged d : checked.damaged()) {
            LOG.warn("{} {} of the {} set: {}", includeDamaged ? "Using the damaged image" : "Leaving out",
                    d.name(), split, d.damage());
        }
        return checked;
    }

    /** Whether the validation split is one of the training splits ("train.txt+val.txt"). */
    private boolean valInTraining() {
        if (cfg.valSplit == null || cfg.trainSplit == null) {
            return false;
        }
        for (String part : cfg.trainSplit.split("\\+")) {
            if (part.strip().equals(cfg.valSplit.strip())) {
                return true;
            }
        }
        return false;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** One optimisation step; returns the total loss, the segmentation term and the auxiliary term. */
    private float[] step(SeglightNetwork net, NDManager root, AdamW optimizer, PolySchedule schedule, Batch b,
            float[][] embeddings, long iter) {
        ModelConfig config = net.config();
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) (cfg.seed * 1_000_003L + iter)); // dropout of iteration i
        try (NDManager call = root.newSubManager()) {
            NDArray images = call.create(b.images(), new Shape(cfg.batch, 3, cfg.crop, cfg.crop));
            NDArray labels = call.create(b.labels(), new Shape(cfg.batch, cfg.crop, cfg.crop));
            NDArray text = embeddings.length > 0 ? TextEmbeddings.toArray(call, embeddings) : null; // (K, C)
            float[] loss;
            try (GradientCollector gc = engine.newGradientCollector()) {
                NetworkOutput out = net.forward(images, text, true, false);
                NDArray weights = cfg.classWeights == null ? null : call.create(toFloats(cfg.classWeights));
                Losses.Terms l = Losses.terms(out, labels, config, weights);
                gc.backward(l.total());
                loss = new float[] {l.total().getFloat(), l.seg().getFloat(), l.aux() == null ? 0f : l.aux().getFloat()};
            }
            if (!Float.isFinite(loss[0])) {
                throw new IllegalStateException("The loss became " + loss[0] + " at iteration " + iter
                        + "; lower the learning rate");
            }
            optimizer.step(schedule, iter);
            return loss;
        }
    }

    /** The batch of iteration {@code iter}: samples from a per-epoch shuffle, each augmented with its own seed. */
    private Batch batch(SegmentationDataset data, Augmentation aug, long iter) throws IOException {
        int n = data.samples().size();
        int c = cfg.crop;
        float[] images = new float[cfg.batch * 3 * c * c];
        long[] labels = new long[cfg.batch * c * c];
        for (int j = 0; j < cfg.batch; j++) {
            long position = iter * cfg.batch + j;
            int epoch = (int) (position / n);
            int index = permutation(n, cfg.seed * 7919 + epoch)[(int) (position % n)];
            Augmentation.Sample s = aug.apply(data.load(index), new Random(cfg.seed * 31 + position));
            System.arraycopy(s.image(), 0, images, j * 3 * c * c, 3 * c * c);
            for (int p = 0; p < c * c; p++) {
                labels[j * c * c + p] = s.labels()[p] & 0xff;
            }
        }
        return new Batch(images, labels);
    }

    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private void saveModel(Path file, SeglightNetwork net, PromptSet prompts, String encoderId,
            float[][] embeddings, long iter, double seconds, EvalResult eval, SegmentationDataset train)
            throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, Double> perClass = Map.of();
        if (eval != null) {
            metrics.put("val_miou", eval.miou());
            metrics.put("val_pixel_accuracy", eval.pixelAccuracy());
            perClass = eval.perClass();
        }
        ModelCard card = new ModelCard(outDir.getFileName() + " (" + net.config().variant() + ")",
                "trained on " + train.root().getFileName() + " / " + cfg.trainSplit + " (" + train.samples().size()
                        + " image/label pairs" + damagedNote(train) + ")"
                        + (origin == null ? "" : ", starting from " + origin),
                cfg.dataLicence, metrics, perClass, iter, seconds,
                "crop " + cfg.crop + ", batch " + cfg.batch + ", " + cfg.iterations + " iterations planned, seed "
                        + cfg.seed + (cfg.classWeights == null ? "" : ", class-weighted cross entropy "
                        + java.util.Arrays.toString(cfg.classWeights)) + "; metrics on " + cfg.valSplit
                        + " (whole-image inference)" + (valInTraining() ? "; " + cfg.valSplit + " "
                        + ModelCard.VAL_TRAINED_ON + ", so these figures are not an independent estimate" : ""),
                java.time.Instant.now().toString());
        Checkpoint.save(file, net, prompts, encoderId, embeddings, card);
    }

    private void save(Path file, SeglightNetwork net, AdamW optimizer, PromptSet prompts, String encoderId,
            float[][] embeddings, long iter, double seconds, double bestMiou, EvalResult eval,
            SegmentationDataset train) throws IOException {
        saveModel(file, net, prompts, encoderId, embeddings, iter, seconds, eval, train);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("iteration", Long.toString(iter));
        meta.put("steps", Long.toString(optimizer.steps()));
        meta.put("seconds", Double.toString(seconds));
        meta.put("best_miou", Double.toString(bestMiou));
        if (origin != null) {
            meta.put("origin", origin);
        }
        AtomicFile.write(statePath(file), tmp -> Safetensors.write(tmp, optimizer.state(), meta));
    }

    /** Copies through a temporary file, so a crash leaves the old copy or the whole new one. */
    private static void copyAtomically(Path from, Path to) throws IOException {
        AtomicFile.write(to, tmp -> Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING));
    }

    private static EvalResult evaluate(Path model, SegmentationDataset val, Progress progress)
            throws IOException, InvalidModelException {
        try (Segmenter s = Segmenter.open(model, DevicePolicy.AUTO)) {
            return Evaluator.evaluate(s, val, s.defaultPrompts(), true, Progress.NONE);
        } finally {
            progress.update("evaluated", 0, 0);
        }
    }

    private static void writeLog(BufferedWriter log, Map<String, Object> rec) throws IOException {
        log.write(GSON.toJson(rec));
        log.newLine();
        log.flush();
    }

    private static Batch await(Future<Batch> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while loading a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("Loading a batch failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    static String formatEta(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}

package org.seglight.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.seglight.model.Checkpoint;
import org.seglight.text.PromptSet;
import org.seglight.train.LearnBase;
import org.seglight.train.Learner;
import org.seglight.train.SegmentationDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seglight learn}: the app's "Learn from corrections" on a dataset folder. */
@Command(name = "learn", mixinStandardHelpOptions = true,
        description = "Learn a dataset's classes from a few labelled images, in minutes: the image encoder stays "
                + "frozen and its features are computed once (--whole fine-tunes everything). The learned model's "
                + "classes are the dataset's classes.csv in its order. Ctrl-C stops and keeps the model so far.")
final class LearnCommand implements Callable<Integer> {

    @Option(names = "--model", description = "model to learn from: a file, 'default' or 'imagenet' (default: "
            + "Seglight picks: the default model when it has every class, else the ImageNet base)")
    String model;

    @Option(names = "--data", required = true, description = "dataset folder (classes.csv, list files or images/ + "
            + "labels/)")
    Path data;

    @Option(names = "--split", description = "list file to learn from (default: images/ + labels/)")
    String split;

    @Option(names = "--images", description = "learn from the first N images of the split only")
    Integer images;

    @Option(names = "--held-out", description = "list file scored while learning; the best model is kept")
    String heldOut;

    @Option(names = "--minutes", description = "wall-time budget, feature caching included (default: 5 unless "
            + "--iterations is given)")
    Double minutes;

    @Option(names = "--iterations", description = "a fixed number of iterations instead of a time budget (0: the "
            + "base with its classes mapped onto the dataset's, before any learning)")
    Long iterations;

    @Option(names = "--whole", description = "fine-tune the whole network (encoder at a tenth of the rate)")
    boolean whole;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--void-index", defaultValue = "-1", description = "void label (default: the class named void)")
    int voidIndex;

    @Option(names = "--include-damaged", description = "learn also from images whose file is damaged (it decodes "
            + "only in part), as read; by default they are left out and named")
    boolean includeDamaged;

    @Option(names = "--out", required = true, description = "model file to write (.seglight)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (minutes != null && minutes <= 0 || iterations != null && iterations < 0) {
            throw new IllegalArgumentException("--minutes must be positive and --iterations at least 0 (0: only "
                    + "map the base's classes onto the dataset's, as the base stands before learning)");
        }
        SegmentationDataset train = SegmentationDataset.open(data, split, null, voidIndex, null);
        System.err.println(NativeHeap.describe());
        PromptSet classes = train.classes();
        LearnBase.Choice base = LearnBase.named(model).orElse(null);
        if (base == null) {
            base = LearnBase.choose(classes.names());
            System.err.println("Learning from " + base.name() + " (" + base.model() + "): " + base.reason());
        }
        int n = images == null ? train.samples().size() : Math.min(images, train.samples().size());
        ConsoleProgress progress = new ConsoleProgress(System.err, 10_000).cancelOnInterrupt(Thread.currentThread());
        Learner.Result r;
        List<SegmentationDataset.Damaged> damaged = new ArrayList<>();
        try {
            List<SegmentationDataset.Pair> pairs = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                SegmentationDataset.Pair p = read(train, i, damaged);
                if (p != null) {
                    pairs.add(p);
                    names.add(p.name());
                }
                progress.update("Reading " + train.samples().get(i).name(), i + 1, n);
            }
            List<SegmentationDataset.Pair> held = new ArrayList<>();
            if (heldOut != null) {
                SegmentationDataset h = SegmentationDataset.open(data, heldOut, null, voidIndex, null);
                for (int i = 0; i < h.samples().size(); i++) {
                    SegmentationDataset.Pair p = read(h, i, damaged);
                    if (p != null) {
                        held.add(p);
                    }
                }
            }
            if (pairs.isEmpty()) {
                throw new IllegalArgumentException("Every image to learn from is damaged (only part of each could be"
                        + " read): " + damaged.getFirst() + (damaged.size() > 1 ? "; ..." : "")
                        + "; --include-damaged learns from what was read");
            }
            Checkpoint.Contents baseModel = Checkpoint.read(base.model());
            float[][] embeddings = Learner.embed(baseModel, base.model().getFileName().toString(), classes);
            double seconds = minutes != null ? minutes * 60 : iterations == null ? 300 : 0;
            Learner.Options options = Learner.Options.of(iterations == null ? 0 : iterations, seconds)
                    .withWhole(whole).withSeed(seed);
            String describe = pairs.size() + " images of " + data.getFileName() + (split == null ? "" : " / " + split)
                    + ": " + String.join(", ", names.subList(0, Math.min(20, names.size())))
                    + (names.size() > 20 ? ", ..." : "") + damagedNote(damaged);
            r = new Learner(options).learn(baseModel, base.name() + " (" + base.model().getFileName() + ")", classes,
                    embeddings, new Learner.Data(pairs, held), describe, Learner.Listener.NONE, progress);
        } finally {
            progress.finish();
        }
        if (r.cancelled() && r.iterations() == 0) {
            System.out.println("Stopped before the first iteration: nothing written");
            return 130;
        }
        Checkpoint.save(out, r.model());
        System.out.printf("%s after %d iterations in %.0f s (features %.0f s, %.3f s/iteration): %s%n",
                r.cancelled() ? "Stopped" : "Learned", r.iterations(), r.seconds(), r.cacheSeconds(),
                r.secondsPerIteration(), out);
        System.out.println("  " + r.carried());
        if (!damaged.isEmpty()) {
            System.out.println(TrainCommand.damagedLine(damaged, includeDamaged, "learned from"));
        }
        if (!Double.isNaN(r.heldOutMiou())) {
            System.out.printf("  held-out mIoU %.2f (the best model, kept)%n", 100 * r.heldOutMiou());
        }
        return r.cancelled() ? 130 : 0;
    }

    /**
     * Pair i, or null when its image is damaged and not included; a damaged image is added to {@code damaged}
     * and said on stderr at once, left out or used.
     */
    private SegmentationDataset.Pair read(SegmentationDataset set, int i, List<SegmentationDataset.Damaged> damaged)
            throws java.io.IOException {
        SegmentationDataset.Decoded d = set.decode(i);
        if (d.damage() == null) {
            return d.pair();
        }
        damaged.add(new SegmentationDataset.Damaged(d.pair().name(), d.damage()));
        System.err.println((includeDamaged ? "Learning from the damaged image " : "Leaving out ") + d.pair().name()
                + ": " + d.damage());
        return includeDamaged ? d.pair() : null;
    }

    /** For the model card: the damaged images left out, or learned from as read. */
    private String damagedNote(List<SegmentationDataset.Damaged> damaged) {
        if (damaged.isEmpty()) {
            return "";
        }
        String names = String.join(", ", damaged.stream().map(SegmentationDataset.Damaged::name).toList());
        return includeDamaged ? "; damaged, used as read: " + names : "; damaged, left out: " + names;
    }
}

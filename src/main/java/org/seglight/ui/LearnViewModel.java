package org.seglight.ui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.seglight.annotation.AnnotationState;
import org.seglight.annotation.AnnotationStore;
import org.seglight.annotation.Autosaver;
import org.seglight.inference.DefaultModel;
import org.seglight.io.ImageLoader;
import org.seglight.mask.LabelMask;
import org.seglight.model.Checkpoint;
import org.seglight.task.Progress;
import org.seglight.text.PromptSet;
import org.seglight.train.LearnBase;
import org.seglight.train.Learner;
import org.seglight.train.SegmentationDataset;
import org.seglight.ui.common.DialogService;
import org.seglight.ui.common.Lane;
import org.seglight.ui.common.Messages;
import org.seglight.ui.common.TaskRunner;
import org.seglight.ui.images.ImageSession;
import org.seglight.ui.images.ImagesViewModel;
import org.seglight.ui.prompts.PromptsViewModel;

/**
 * Model > Learn from corrections: learns the class table from the images of the open folder that the user
 * corrected (their saved masks, or the open edits), in the background, with a live chart; the learned model is
 * saved in the folder's annotation store, loaded, and the open image segmented again. The user's masks are
 * only read. Cancel stops and keeps the best model so far.
 */
public final class LearnViewModel {

    /** Where learning starts. */
    public enum StartFrom {
        /** The last learned model when one is loaded, else what {@link LearnBase#choose} picks. */
        AUTO("Seglight's choice"),
        CURRENT("The loaded model"),
        DEFAULT("The default model (street scenes)"),
        IMAGENET("The ImageNet base (a fresh decoder)");

        private final String label;

        StartFrom(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The most corrected images one run reads (each is held in memory while it learns). */
    static final int MAX_IMAGES = 150;

    private record Outcome(Path file, Learner.Result result, List<String> skipped, int images, int heldOut,
            String base, List<String> damaged, boolean damagedIncluded) {}

    /** One corrected image as learning data, and its damage when its file decoded only in part (else null). */
    private record Read(SegmentationDataset.Pair pair, String damage) {}

    /** The corrected images read, and those that could not be used, with why. */
    private record Reading(List<Read> read, List<String> skipped) {}

    private final TaskRunner runner;
    private final DialogService dialogs;
    private final ImageSession session;
    private final Autosaver autosaver;
    private final ModelSession models;
    private final PromptsViewModel prompts;
    private final ImagesViewModel images;
    private final Consumer<Path> modelChosen;
    private final Consumer<String> status;

    private final ObjectProperty<StartFrom> startFrom = new SimpleObjectProperty<>(StartFrom.AUTO);
    private final DoubleProperty minutes = new SimpleDoubleProperty(3);
    private final BooleanProperty whole = new SimpleBooleanProperty(false);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(0);
    private final ObservableList<Learner.Point> points = FXCollections.observableArrayList();
    private volatile TaskRunner.CancelFlag stop;
    /** A fixed number of iterations instead of the minutes (tests). */
    private long fixedIterations;

    LearnViewModel(TaskRunner runner, DialogService dialogs, ImageSession session, Autosaver autosaver,
            ModelSession models, PromptsViewModel prompts, ImagesViewModel images, Consumer<Path> modelChosen,
            Consumer<String> status) {
        this.runner = runner;
        this.dialogs = dialogs;
        this.session = session;
        this.autosaver = autosaver;
        this.models = models;
        this.prompts = prompts;
        this.images = images;
        this.modelChosen = modelChosen;
        this.status = status;
    }

    /** The images learning would read: those with a saved correction, or edited now. */
    public List<Path> corrected() {
        List<Path> out = new ArrayList<>();
        for (ImagesViewModel.Item item : images.items()) {
            var e = session.edits(item.path());
            if (item.stateProperty().get() != AnnotationState.NONE || e != null && e.isEdited()) {
                out.add(item.path());
            }
        }
        return out;
    }

    /** How many of {@code n} corrected images are held back to score the model as it learns. */
    static int heldOutCount(int n) {
        return n >= 8 ? Math.min(5, n / 5) : 0;
    }

    /** A sentence on what learning would start from and why, for the dialog. */
    public String describeStart() {
        try {
            LearnBase.Choice c = resolveBase();
            return c.name() + ": " + c.reason();
        } catch (Exception e) {
            return Messages.of(e);
        }
    }

    private LearnBase.Choice resolveBase() throws Exception {
        Path current = models.file();
        var service = models.current();
        return switch (startFrom.get()) {
            case CURRENT -> {
                if (current == null) {
                    throw new IllegalStateException("No model is loaded");
                }
                yield new LearnBase.Choice(current, current.getFileName().toString(), "the model loaded now");
            }
            case DEFAULT -> LearnBase.named("default").orElseThrow();
            case IMAGENET -> LearnBase.named("imagenet").orElseThrow();
            case AUTO -> {
                if (current != null && service != null && service.card().name().startsWith("learned")) {
                    yield new LearnBase.Choice(current, current.getFileName().toString(),
                            "learning again starts from the last learned model");
                }
                yield LearnBase.choose(prompts.names());
            }
        };
    }

    /** Starts learning; the dialog shows the chart and offers {@link #cancel}. */
    public void start() {
        if (running.get()) {
            return;
        }
        Optional<String> problem = prompts.problem();
        if (problem.isPresent()) {
            dialogs.showError("Fix the class table first", problem.get());
            return;
        }
        List<Path> files = corrected();
        if (files.isEmpty()) {
            dialogs.showError("Nothing to learn from", "No image of this folder has been corrected yet. Correct the "
                    + "masks of a few images (the brush, the polygon or Apply prediction, then Ctrl+Enter to mark"
                    + " them reviewed), then learn.");
            return;
        }
        LearnBase.Choice base;
        try {
            base = resolveBase();
        } catch (Exception e) {
            dialogs.showError("Cannot learn", Messages.of(e));
            return;
        }
        if (files.size() > MAX_IMAGES) {
            files = files.subList(0, MAX_IMAGES);
        }
        List<Path> chosen = List.copyOf(files);
        PromptSet classes = prompts.rowPrompts();
        List<String> names = prompts.names();
        List<Integer> slots = prompts.slots();
        Map<Path, LabelMask> inMemory = new HashMap<>();
        session.allEdits().forEach((p, e) -> {
            if (e.isEdited()) {
                inMemory.put(p, e.editor().snapshot());
            }
        });
        Path storeRoot = images.storeFor(chosen.getFirst()).root();
        double seconds = Math.max(0.25, minutes.get()) * 60;
        Learner.Options options = fixedIterations > 0
                ? new Learner.Options(fixedIterations, 0, whole.get(), 2, 128, 1e-3, 42, 4)
                : Learner.Options.of(0, seconds).withWhole(whole.get());
        points.clear();
        TaskRunner.CancelFlag flag = new TaskRunner.CancelFlag();
        stop = flag;
        running.set(true);
        message.set("Reading " + chosen.size() + " corrected images…");
        fraction.set(-1);
        runner.run(Lane.LEARN, "Reading the corrected images", false, ignored -> {
            Progress progress = progress(flag);
            List<Read> read = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (int i = 0; i < chosen.size(); i++) {
                if (flag.isCancelled()) {
                    throw new org.seglight.task.CancelledException("Learning cancelled while reading the images");
                }
                Path p = chosen.get(i);
                progress.update("Reading " + p.getFileName(), i + 1, chosen.size());
                try {
                    pair(p, inMemory.get(p), names, slots).ifPresentOrElse(read::add,
                            () -> skipped.add(p.getFileName() + ": no saved mask"));
                } catch (IOException | RuntimeException e) {
                    skipped.add(p.getFileName() + ": " + Messages.of(e));
                }
            }
            if (read.isEmpty()) {
                throw new IOException("None of the corrected images could be read:\n" + String.join("\n", skipped));
            }
            return new Reading(read, skipped);
        }, reading -> learn(reading, flag, base, classes, options, storeRoot,
                chosen.getFirst().toAbsolutePath().getParent()), e -> failed(e), () -> releaseIfCancelled(flag));
    }

    /**
     * The images are read: the damaged ones among them are left out unless the user includes them (asked once,
     * listing them), then the model learns from the rest in the background.
     */
    private void learn(Reading reading, TaskRunner.CancelFlag flag, LearnBase.Choice base, PromptSet classes,
            Learner.Options options, Path storeRoot, Path folder) {
        List<Read> damaged = reading.read().stream().filter(r -> r.damage() != null).toList();
        boolean include = !damaged.isEmpty() && askToInclude(damaged);
        List<SegmentationDataset.Pair> pairs = reading.read().stream().filter(r -> include || r.damage() == null)
                .map(Read::pair).toList();
        List<String> damagedNames = damaged.stream().map(r -> r.pair().name()).toList();
        if (pairs.isEmpty()) {
            running.set(false);
            message.set("Nothing learned: every corrected image is damaged");
            dialogs.showError("Nothing to learn from", "Every corrected image that could be read is damaged (only "
                    + "part of its file could be read), and they were left out:\n" + String.join("\n",
                            damaged.stream().map(Read::damage).toList()));
            return;
        }
        message.set("Learning from " + pairs.size() + " corrected images…"
                + damagedNote(damagedNames, include, "; "));
        runner.run(Lane.LEARN, "Learning from corrections", false, ignored -> {
            Progress progress = progress(flag);
            int held = heldOutCount(pairs.size());
            List<SegmentationDataset.Pair> train = new ArrayList<>();
            List<SegmentationDataset.Pair> heldOut = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                (heldOut.size() < held && i % 5 == 4 ? heldOut : train).add(pairs.get(i));
            }
            Checkpoint.Contents baseModel = Checkpoint.read(base.model());
            float[][] embeddings = Learner.embed(baseModel, base.model().getFileName().toString(), classes);
            String describe = train.size() + " corrected images of " + folder
                    + ": " + String.join(", ", train.stream().map(SegmentationDataset.Pair::name).limit(30).toList())
                    + (train.size() > 30 ? ", ..." : "") + (heldOut.isEmpty() ? "" : "; held back to score it: "
                            + String.join(", ", heldOut.stream().map(SegmentationDataset.Pair::name).toList()))
                    + damagedNote(damagedNames, include, "; ");
            Learner.Result r = new Learner(options).learn(baseModel, base.name(), classes, embeddings,
                    new Learner.Data(train, heldOut), describe, this::pointLater, progress);
            if (r.iterations() == 0) {
                throw new org.seglight.task.CancelledException("Learning cancelled before its first iteration");
            }
            Path dir = storeRoot.resolve("models");
            Files.createDirectories(dir);
            Path file = dir.resolve("learned-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern(
                    "yyyyMMdd-HHmmss")) + Checkpoint.EXTENSION);
            Checkpoint.save(file, r.model());
            return new Outcome(file, r, reading.skipped(), train.size(), heldOut.size(), base.name(), damagedNames,
                    include);
        }, this::finished, this::failed, () -> releaseIfCancelled(flag));
    }

    /** Lists the damaged corrected images and asks whether to learn from them too; the default is not to. */
    private boolean askToInclude(List<Read> damaged) {
        boolean one = damaged.size() == 1;
        String message = (one ? "One corrected image's file is" : damaged.size() + " corrected images' files are")
                + " damaged: only part of " + (one ? "it" : "each") + " could be read, and learning from "
                + (one ? "it" : "them") + " would teach the model labels of pixels that are not the picture.\n\n"
                + String.join("\n", damaged.stream().map(Read::damage).toList());
        return dialogs.choose(one ? "A corrected image is damaged" : "Corrected images are damaged", message,
                one ? List.of("Learn without it", "Include it") : List.of("Learn without them", "Include them")) == 1;
    }

    /** The damaged images left out, or learned from as read, for the message and the model card. */
    private static String damagedNote(List<String> damaged, boolean included, String separator) {
        if (damaged.isEmpty()) {
            return "";
        }
        return separator + damaged.size() + " damaged image" + (damaged.size() == 1 ? "" : "s")
                + (included ? " included as read: " : " left out: ") + String.join(", ", damaged);
    }

    private void failed(Throwable e) {
        running.set(false);
        message.set("Learning failed");
        dialogs.showError("Learning failed", Messages.of(e));
    }

    private void releaseIfCancelled(TaskRunner.CancelFlag flag) {
        Platform.runLater(() -> {
            if (stop == flag && flag.isCancelled() && running.get()) {
                running.set(false);
                message.set("Cancelled before any model was learned");
            }
        });
    }

    private void finished(Outcome o) {
        running.set(false);
        fraction.set(1);
        Learner.Result r = o.result();
        String score = Double.isNaN(r.heldOutMiou()) ? ""
                : String.format("; mIoU %.1f on %d held-back images", 100 * r.heldOutMiou(), o.heldOut());
        message.set(String.format("%s after %d iterations (%.0f s) from %d images%s%s. Saved as %s and loaded.",
                r.cancelled() ? "Stopped" : "Learned", r.iterations(), r.seconds(), o.images(), score,
                damagedNote(o.damaged(), o.damagedIncluded(), "; "), o.file().getFileName()));
        status.accept("Learned model loaded: " + o.file().getFileName() + score);
        modelChosen.accept(o.file());
        models.load(o.file());
        if (!o.skipped().isEmpty()) {
            dialogs.showError("Some corrected images were not used", String.join("\n", o.skipped()));
        }
    }

    /** Chart points arrive on the learning thread; the chart keeps at most a few hundred. */
    private void pointLater(Learner.Point p) {
        Platform.runLater(() -> {
            if (points.size() >= 400) {
                // keep every other point of the older half, so a long run still fits
                List<Learner.Point> kept = new ArrayList<>();
                for (int i = 0; i < points.size(); i++) {
                    if (i >= 200 || i % 2 == 0 || !Double.isNaN(points.get(i).heldOutMiou())) {
                        kept.add(points.get(i));
                    }
                }
                points.setAll(kept);
            }
            points.add(p);
        });
    }

    private Progress progress(TaskRunner.CancelFlag flag) {
        return new Progress() {
            @Override
            public void update(String msg, long done, long total) {
                double f = total > 0 ? (double) done / total : -1;
                Platform.runLater(() -> {
                    if (stop == flag && running.get()) {
                        message.set(msg);
                        fraction.set(f);
                    }
                });
            }

            @Override
            public boolean isCancelled() {
                return flag.isCancelled();
            }
        };
    }

    /**
     * One corrected image as learning data, its labels in table order, with its damage if its file is damaged;
     * empty when it has no mask.
     */
    private Optional<Read> pair(Path p, LabelMask open, List<String> names, List<Integer> slots)
            throws IOException {
        LabelMask mask = open;
        if (mask == null) {
            Optional<AnnotationStore.Saved> saved = autosaver.load(p);
            if (saved.isEmpty()) {
                return Optional.empty();
            }
            mask = saved.get().inTable(names, slots);
        }
        ImageLoader.Loaded loaded = ImageLoader.load(p);
        BufferedImage img = loaded.image();
        if (img.getWidth() != mask.width() || img.getHeight() != mask.height()) {
            throw new IOException("the image is " + img.getWidth() + "x" + img.getHeight() + " but its mask "
                    + mask.width() + "x" + mask.height());
        }
        int[] rgb = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        return Optional.of(new Read(new SegmentationDataset.Pair(p.getFileName().toString(), img.getWidth(),
                img.getHeight(), rgb, mask.toBytes()), loaded.damage()));
    }

    /** Stops learning after the current iteration; the best model so far is kept and loaded. */
    public void cancel() {
        TaskRunner.CancelFlag f = stop;
        if (f != null) {
            f.cancel();
            message.set("Stopping after this iteration; the best model so far is kept…");
        }
    }

    /** Learns for a fixed number of iterations of batch 2 on 4 cached views, rather than for the minutes (tests). */
    void setFixedIterations(long n) {
        fixedIterations = n;
    }

    /** Whether the shipped bases are there (the dialog says so when one is missing). */
    public static boolean basesInstalled() {
        return DefaultModel.locate(DefaultModel.IMAGENET_BASE).isPresent();
    }

    public ObjectProperty<StartFrom> startFromProperty() {
        return startFrom;
    }

    public DoubleProperty minutesProperty() {
        return minutes;
    }

    public BooleanProperty wholeProperty() {
        return whole;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty fractionProperty() {
        return fraction.getReadOnlyProperty();
    }

    public ObservableList<Learner.Point> points() {
        return points;
    }
}

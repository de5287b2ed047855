package org.seglight.ui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.seglight.annotation.AnnotationState;
import org.seglight.annotation.AnnotationStore;
import org.seglight.annotation.LabelMask;
import org.seglight.annotation.MaskEditor;
import org.seglight.annotation.Region;
import org.seglight.inference.DefaultModel;
import org.seglight.inference.DevicePolicy;
import org.seglight.inference.ScoreMaps;
import org.seglight.inference.SegmentationResult;
import org.seglight.inference.Segmenter;
import org.seglight.inference.Timings;
import org.seglight.io.AnnotationExporter;
import org.seglight.io.CocoWriter;
import org.seglight.io.ImageLoader;
import org.seglight.io.MaskWriter;
import org.seglight.model.ModelCard;

/**
 * The main window's state and commands: the model, the open image, its prediction and the mask under
 * correction, and the work that moves between them (load, segment, autosave, export) on background lanes.
 * It knows no view: the view binds to its properties and forwards the user's gestures to its commands.
 */
public final class MainViewModel implements AutoCloseable {

    /** Undo history is kept within this much memory per image. */
    static final long UNDO_BUDGET = 512L << 20;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final TaskRunner runner;
    private final DialogService dialogs;
    private final Debouncer debouncer;
    private final PromptsViewModel prompts = new PromptsViewModel();
    private final InspectorViewModel inspector = new InspectorViewModel();
    private final ImagesViewModel images;
    private final OverlayOptions overlay = new OverlayOptions();

    // Properties
    private final ReadOnlyObjectWrapper<Path> imagePath = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<BufferedImage> image = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<SegmentationResult> result = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyLongWrapper maskRevision = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper lookRevision = new ReadOnlyLongWrapper();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(
            "Open an image or a folder (Ctrl+O, Ctrl+Shift+O) or drop one here");
    private final ReadOnlyStringWrapper modelStatus = new ReadOnlyStringWrapper("No model loaded");
    private final ReadOnlyStringWrapper device = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper modelReady = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper segmenting = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper edited = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper predictionPending = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper undoText = new ReadOnlyStringWrapper("Undo");
    private final ReadOnlyStringWrapper redoText = new ReadOnlyStringWrapper("Redo");
    private final ObjectProperty<Tool> tool = new SimpleObjectProperty<>(Tool.INSPECT);
    private final IntegerProperty brushRadius = new SimpleIntegerProperty(8);
    private final IntegerProperty activeRow = new SimpleIntegerProperty(0);
    private final BooleanProperty slidingWindows = new SimpleBooleanProperty(true);
    private final ObservableList<double[]> polygon = FXCollections.observableArrayList();
    private final ObjectProperty<DevicePolicy> devicePolicy = new SimpleObjectProperty<>(initialPolicy());

    private Segmenter segmenter;
    private Path modelFile;
    private MaskEditor editor;
    private MaskEditor.Stroke stroke;
    private Region dirty;
    private LabelMask pendingPrediction;
    private TaskRunner.Handle segmentation;
    private long savedVersion = -1;
    private Path requested;
    private long loads;
    /** Said once after the image opened (a recovery), kept in front of the first segmentation's status. */
    private String openNote;
    private boolean autosaveFailedShown;

    public MainViewModel(TaskRunner runner, DialogService dialogs, Debouncer debouncer, RecentFiles recent) {
        this.runner = runner;
        this.dialogs = dialogs;
        this.debouncer = debouncer;
        this.images = new ImagesViewModel(recent);
        prompts.setOnWordsChanged(() -> debouncer.call("segment", this::segment));
        prompts.setOnLookChanged(this::lookChanged);
        prompts.setOnStructureChanged(this::structureChanged);
        images.currentProperty().addListener((o, a, b) -> {
            Path p = images.currentPath();
            if (p != null && !p.equals(requested)) {
                load(p);
            }
        });
    }

    // Commands: model

    /** Loads the shipped default model, or says where it was looked for. */
    public void loadDefaultModel() {
        Optional<Path> p = DefaultModel.locate();
        if (p.isEmpty()) {
            modelStatus.set("No default model found");
            dialogs.showError("No model", "The default model was not found. Looked in:\n"
                    + String.join("\n", DefaultModel.candidates().stream().map(Path::toString).toList())
                    + "\nOpen a model file with Model > Open model.");
            return;
        }
        loadModel(p.get());
    }

    /** Loads a model file in the background; the current model stays until the new one is ready. */
    public void loadModel(Path file) {
        modelStatus.set("Loading model " + file.getFileName() + "…");
        DevicePolicy policy = devicePolicy.get();
        runner.run("model", "Loading model " + file.getFileName(), true, progress -> {
            progress.update("Loading model " + file.getFileName() + " (device: " + policy.name().toLowerCase() + ")",
                    0, 0);
            return Segmenter.open(file, policy);
        }, loaded -> {
            Segmenter old = segmenter;
            segmenter = loaded;
            modelFile = file;
            if (old != null) {
                runner.run("model", "Closing the previous model", false, pr -> {
                    old.close();
                    return null;
                }, x -> {}, e -> {});
            }
            ModelCard card = loaded.card();
            Double miou = card.metrics().get("val_miou");
            modelStatus.set("Model: " + card.name() + ", " + loaded.config().variant() + ", "
                    + loaded.config().numClasses() + " classes"
                    + (miou == null ? "" : String.format(", val mIoU %.1f", 100 * miou)));
            device.set("PyTorch · " + loaded.deviceDescription());
            modelReady.set(true);
            prompts.reset(loaded.defaultPrompts()); // re-segments the open image
        }, e -> {
            modelStatus.set(segmenter == null ? "No model loaded" : modelStatus.get());
            dialogs.showError("Cannot load the model", message(e));
        });
    }

    /** Loads the current model again on the device the policy now picks (Model > Device). */
    public void reloadOnDevice(DevicePolicy policy) {
        devicePolicy.set(policy);
        if (modelFile != null) {
            loadModel(modelFile);
        }
    }

    /** {@code -Dseglight.device=auto|cpu|gpu} or {@code SEGLIGHT_DEVICE}, else auto. */
    private static DevicePolicy initialPolicy() {
        String s = System.getProperty("seglight.device", System.getenv().getOrDefault("SEGLIGHT_DEVICE", "auto"));
        try {
            return DevicePolicy.parse(s);
        } catch (IllegalArgumentException e) {
            return DevicePolicy.AUTO;
        }
    }

    // Commands: images

    public void openFiles(List<Path> files) {
        if (!files.isEmpty()) {
            list("Cannot open", () -> images.openFiles(files));
        }
    }

    public void openFolder(Path folder) {
        list("Cannot open the folder", () -> images.openFolder(folder));
    }

    private interface Listing {
        void run() throws IOException;
    }

    /** Fills the strip, then opens its current image unless selecting it already did. */
    private void list(String errorTitle, Listing listing) {
        try {
            long before = loads;
            listing.run();
            Path p = images.currentPath();
            if (p != null && loads == before) {
                load(p);
            }
        } catch (IOException | RuntimeException e) {
            dialogs.showError(errorTitle, message(e));
        }
    }

    /** Opens a path given on the command line or dropped: a folder or an image. */
    public void open(Path path) {
        if (java.nio.file.Files.isDirectory(path)) {
            openFolder(path);
        } else {
            openFiles(List.of(path));
        }
    }

    public void next() {
        images.next();
    }

    public void previous() {
        images.previous();
    }

    private record Opened(Path path, BufferedImage image, Optional<AnnotationStore.Saved> saved) {}

    private void load(Path path) {
        autosave(); // the image being left
        requested = path;
        loads++;
        runner.run("io", "Opening " + path.getFileName(), true, progress -> {
            progress.update("Opening " + path.getFileName(), 0, 0);
            BufferedImage img = ImageLoader.read(path);
            Optional<AnnotationStore.Saved> saved;
            try {
                saved = images.storeFor(path).load(path);
            } catch (IOException e) {
                saved = Optional.empty(); // a broken autosave must not keep the image from opening
            }
            return new Opened(path, img, saved);
        }, o -> {
            if (path.equals(requested)) {
                show(o);
            }
        }, e -> {
            dialogs.showError("Cannot open the image", message(e));
            status.set("Could not open " + path.getFileName() + "; nothing else changed");
        });
    }

    private void show(Opened o) {
        imagePath.set(o.path());
        result.set(null);
        pendingPrediction = null;
        predictionPending.set(false);
        stroke = null;
        polygon.clear();
        image.set(o.image());
        editor = null;
        edited.set(false);
        if (o.saved().isPresent() && o.saved().get().mask().width() == o.image().getWidth()
                && o.saved().get().mask().height() == o.image().getHeight()) {
            AnnotationStore.Saved s = o.saved().get();
            editor = new MaskEditor(s.mask(), UNDO_BUDGET);
            savedVersion = editor.version();
            edited.set(true);
            openNote = "Recovered your edits of " + o.path().getFileName() + " (saved " + TIME.format(s.saved())
                    + ")" + (prompts.rows().isEmpty() || s.classes().names().equals(prompts.names()) ? ""
                            : "; they were saved with the classes " + s.classes().names());
            status.set(openNote);
        } else {
            openNote = null;
            status.set(o.path().getFileName() + ": " + o.image().getWidth() + "×" + o.image().getHeight());
        }
        inspector.setAttention(null, prompts.mapping(), prompts.names());
        updateUndo();
        repaintAll();
        segment();
    }

    // Commands: segmentation

    /** Segments the open image with the table's prompts (backbone features are reused for the same image). */
    public void segment() {
        if (segmenter == null || image.get() == null) {
            return;
        }
        Optional<String> problem = prompts.problem();
        if (problem.isPresent()) {
            status.set(problem.get() + ": the prompts are not run until this is fixed");
            return;
        }
        if (segmentation != null) {
            segmentation.cancel(); // a stale run's result is dropped; a queued one never starts
        }
        Segmenter s = segmenter;
        BufferedImage img = image.get();
        Path path = imagePath.get();
        var networkPrompts = prompts.networkPrompts();
        SlotMapping mapping = prompts.mapping();
        boolean whole = !slidingWindows.get();
        segmenting.set(true);
        segmentation = runner.run("model", "Segmenting " + path.getFileName(), false, progress -> {
            SegmentationResult r = s.segment(img, networkPrompts, whole);
            return new Object[] {r, mapping.toRows(r.mask(), r.probabilities())};
        }, out -> {
            segmenting.set(false);
            if (!path.equals(imagePath.get())) {
                return;
            }
            SegmentationResult r = (SegmentationResult) out[0];
            LabelMask predicted = (LabelMask) out[1];
            result.set(r);
            inspector.setAttention(r.attention(), mapping, prompts.names());
            if (editor == null || !edited.get()) {
                editor = new MaskEditor(predicted, UNDO_BUDGET);
                savedVersion = -1; // a fresh prediction: nothing of it is saved (versions start at 0)
                pendingPrediction = null;
                predictionPending.set(false);
                repaintAll();
            } else {
                pendingPrediction = predicted;
                predictionPending.set(!predicted.equals(editor.snapshot()));
                lookRevision.set(lookRevision.get() + 1);
            }
            updateUndo();
            Timings t = r.timings();
            String note = openNote == null ? "" : openNote + " · ";
            openNote = null;
            status.set(note + String.format("Segmented %s in %.0f ms (image encoder %.0f, text %.0f, fusion + FPN %.0f%s)"
                    + " on %s%s", path.getFileName(), t.totalMs(), t.encodeMs(), t.textMs(), t.decodeMs(),
                    t.windows() > 1 ? ", " + t.windows() + " windows" : "", r.device(),
                    predictionPending.get() ? "; your corrections are kept: Apply prediction (Ctrl+R) to use"
                            + " the new mask" : ""));
        }, e -> {
            segmenting.set(false);
            status.set("Segmentation failed: " + message(e));
            dialogs.showError("Segmentation failed", message(e));
        });
    }

    /** Replaces the corrected mask by the latest prediction (undoable). */
    public void applyPrediction() {
        if (editor != null && pendingPrediction != null) {
            changed(editor.replace(pendingPrediction, "Apply prediction"));
            pendingPrediction = null;
            predictionPending.set(false);
        }
    }

    // Commands: correction

    /** Starts a brush or eraser stroke at image (x, y). */
    public void beginStroke(double x, double y) {
        if (editor == null) {
            return;
        }
        boolean erase = tool.get() == Tool.ERASER;
        stroke = editor.beginStroke(erase ? "Eraser" : "Brush", erase ? LabelMask.VOID : activeRow.get(),
                brushRadius.get());
        changedDuringStroke(stroke.lineTo(x, y));
    }

    public void strokeTo(double x, double y) {
        if (stroke != null) {
            changedDuringStroke(stroke.lineTo(x, y));
        }
    }

    public void endStroke() {
        if (stroke != null) {
            stroke.finish();
            stroke = null;
            afterEdit();
        }
    }

    /** Adds a polygon corner; a click near the first corner closes it. */
    public void polygonClick(double x, double y, double closeDistance) {
        if (editor == null) {
            return;
        }
        if (polygon.size() >= 3) {
            double[] first = polygon.getFirst();
            if (Math.hypot(first[0] - x, first[1] - y) <= closeDistance) {
                closePolygon();
                return;
            }
        }
        polygon.add(new double[] {x, y});
    }

    public void closePolygon() {
        if (editor == null || polygon.size() < 3) {
            polygon.clear();
            return;
        }
        double[] xs = polygon.stream().mapToDouble(p -> p[0]).toArray();
        double[] ys = polygon.stream().mapToDouble(p -> p[1]).toArray();
        polygon.clear();
        changed(editor.polygon(xs, ys, activeRow.get()));
    }

    public void cancelPolygon() {
        polygon.clear();
    }

    /** Relabels the connected region under (x, y): to the active class, or to void with the void tool. */
    public void fill(int x, int y) {
        if (editor == null || x < 0 || y < 0 || x >= editor.width() || y >= editor.height()) {
            return;
        }
        changed(editor.floodFill(x, y, tool.get() == Tool.VOID_FILL ? LabelMask.VOID : activeRow.get()));
    }

    public void undo() {
        if (editor != null && editor.canUndo()) {
            changed(editor.undo());
        }
    }

    public void redo() {
        if (editor != null && editor.canRedo()) {
            changed(editor.redo());
        }
    }

    /** Loads an existing indexed PNG mask or a COCO file's mask of this image, to correct it. */
    public void importMask(Path file) {
        if (editor == null || imagePath.get() == null) {
            dialogs.showError("Nothing to import into", "Open an image first.");
            return;
        }
        try {
            LabelMask m = file.getFileName().toString().toLowerCase().endsWith(".json")
                    ? CocoWriter.readMask(file, imagePath.get().getFileName().toString())
                    : MaskWriter.readIndexed(file);
            if (m.width() != editor.width() || m.height() != editor.height()) {
                throw new IOException(file.getFileName() + " is " + m.width() + "×" + m.height()
                        + " but the image is " + editor.width() + "×" + editor.height());
            }
            changed(editor.replace(m, "Import mask"));
            status.set("Imported " + file.getFileName());
        } catch (IOException | RuntimeException e) {
            dialogs.showError("Cannot import the mask", message(e));
        }
    }

    private void changedDuringStroke(Region r) {
        if (!r.isEmpty()) {
            dirty = dirty == null ? r : dirty.union(r);
            maskRevision.set(maskRevision.get() + 1);
        }
    }

    private void changed(Region r) {
        if (!r.isEmpty()) {
            dirty = dirty == null ? r : dirty.union(r);
            maskRevision.set(maskRevision.get() + 1);
        }
        afterEdit();
    }

    private void afterEdit() {
        updateUndo();
        if (editor != null && editor.version() != savedVersion) {
            edited.set(true);
            images.setState(imagePath.get(), AnnotationState.EDITED);
            debouncer.call("autosave", this::autosave);
        }
    }

    private void updateUndo() {
        canUndo.set(editor != null && editor.canUndo());
        canRedo.set(editor != null && editor.canRedo());
        undoText.set(canUndo.get() ? "Undo " + editor.undoName() : "Undo");
        redoText.set(canRedo.get() ? "Redo " + editor.redoName() : "Redo");
    }

    // Autosave

    /** Saves the mask under correction now, in the background, if it changed since the last save. */
    public void autosave() {
        if (!needsSave()) {
            return;
        }
        Path path = imagePath.get();
        LabelMask snapshot = editor.snapshot();
        long version = editor.version();
        var classes = prompts.rowPrompts();
        AnnotationStore store = images.storeFor(path);
        runner.run("save", "Saving " + path.getFileName(), false, progress -> {
            store.save(path, snapshot, classes, AnnotationState.EDITED);
            return version;
        }, v -> {
            if (path.equals(imagePath.get())) {
                savedVersion = Math.max(savedVersion, v);
            }
        }, e -> {
            status.set("Could not autosave " + path.getFileName() + ": " + message(e));
            if (!autosaveFailedShown) {
                autosaveFailedShown = true;
                dialogs.showError("Autosave failed", "Your edits of " + path.getFileName()
                        + " could not be saved to " + store.root() + ": " + message(e)
                        + "\nThey stay in the app; export them to keep them.");
            }
        });
    }

    /** Whether the mask under correction has edits that are not saved yet. */
    private boolean needsSave() {
        return editor != null && edited.get() && editor.version() != savedVersion && imagePath.get() != null;
    }

    // Commands: export

    /** Exports the current image's mask as indexed PNG + classes.csv, COCO JSON and overlay. */
    public void exportCurrent(Path outDir) {
        if (editor == null) {
            dialogs.showError("Nothing to export", "Open and segment an image first.");
            return;
        }
        Path path = imagePath.get();
        LabelMask snapshot = editor.snapshot();
        export(List.of(path), outDir, p -> snapshot);
    }

    /**
     * Exports every image in the strip: the edits where there are some (current or autosaved), otherwise a
     * fresh prediction.
     */
    public void exportAll(Path outDir) {
        if (segmenter == null && images.items().isEmpty()) {
            dialogs.showError("Nothing to export", "Open a folder first.");
            return;
        }
        Path current = imagePath.get();
        LabelMask currentMask = editor == null ? null : editor.snapshot();
        Segmenter s = segmenter;
        var networkPrompts = prompts.networkPrompts();
        SlotMapping mapping = prompts.mapping();
        boolean whole = !slidingWindows.get();
        List<Path> all = images.items().stream().map(ImagesViewModel.Item::path).toList();
        export(all, outDir, p -> {
            if (p.equals(current) && currentMask != null) {
                return currentMask;
            }
            Optional<AnnotationStore.Saved> saved = images.storeFor(p).load(p);
            if (saved.isPresent()) {
                return saved.get().mask();
            }
            if (s == null) {
                throw new IOException("no model is loaded to segment it");
            }
            SegmentationResult r = s.segment(ImageLoader.read(p), networkPrompts, whole);
            return mapping.toRows(r.mask(), r.probabilities());
        });
    }

    private void export(List<Path> files, Path outDir, AnnotationExporter.MaskSource masks) {
        var classes = prompts.rowPrompts();
        Set<AnnotationExporter.Format> formats = EnumSet.allOf(AnnotationExporter.Format.class);
        runner.run("export", "Exporting to " + outDir.getFileName(), true,
                progress -> AnnotationExporter.export(files, masks, classes, outDir, formats, progress), report -> {
                    List<Path> done = new ArrayList<>(files);
                    report.failed().forEach(f -> done.remove(f.image()));
                    for (Path p : done.subList(0, Math.min(done.size(), report.exported()))) {
                        images.setState(p, AnnotationState.EXPORTED);
                        try {
                            images.storeFor(p).markExported(p);
                        } catch (IOException e) {
                            // the export itself succeeded; the strip shows it for this session
                        }
                    }
                    String summary = "Exported " + report.exported() + " image(s) to " + outDir
                            + (report.cancelled() ? " (cancelled before the end)" : "");
                    status.set(summary);
                    if (!report.failed().isEmpty()) {
                        dialogs.showError("Some images were not exported", summary + ".\nNot exported:\n"
                                + String.join("\n", report.failed().stream()
                                        .map(f -> f.image().getFileName() + ": " + f.reason()).toList()));
                    }
                }, e -> dialogs.showError("Export failed", message(e)));
    }

    // Read-out

    /** What is under image pixel (x, y): the mask's class and the model's top probabilities. */
    public String readout(int x, int y) {
        if (image.get() == null || x < 0 || y < 0 || x >= image.get().getWidth() || y >= image.get().getHeight()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("(" + x + ", " + y + ")");
        List<String> names = prompts.names();
        if (editor != null) {
            int v = editor.get(x, y);
            sb.append("  ").append(v < names.size() ? names.get(v) : v == LabelMask.VOID ? "void" : "label " + v);
        }
        SegmentationResult r = result.get();
        if (r != null) {
            ScoreMaps p = r.probabilities();
            int px = Math.min(p.width() - 1, x / p.scale());
            int py = Math.min(p.height() - 1, y / p.scale());
            int[] slotToRow = prompts.mapping().slotToRow();
            Integer[] order = new Integer[p.classes()];
            for (int k = 0; k < order.length; k++) {
                order[k] = k;
            }
            java.util.Arrays.sort(order, (a, b) -> Float.compare(p.at(b, px, py), p.at(a, px, py)));
            sb.append("  |");
            for (int i = 0; i < Math.min(3, order.length); i++) {
                int slot = order[i];
                int row = slot < slotToRow.length ? slotToRow[slot] : -1;
                String name = row >= 0 && row < names.size() ? names.get(row) : "(removed)";
                sb.append(String.format(" %s %.2f", name, p.at(slot, px, py)));
            }
        }
        return sb.toString();
    }

    // Helpers for the view

    /** The mask region changed since the last call (null = everything), and resets it. */
    public Region takeDirty() {
        Region d = dirty;
        dirty = null;
        return d;
    }

    /** The mask under correction as an immutable copy, or null. */
    public LabelMask mask() {
        return editor == null ? null : editor.snapshot();
    }

    /** Copies the current labels of a region into {@code dst} (row-major, region width). */
    public void copyMask(Region r, byte[] dst) {
        editor.copyRegion(r, dst);
    }

    public boolean hasMask() {
        return editor != null;
    }

    private void repaintAll() {
        dirty = null;
        maskRevision.set(maskRevision.get() + 1);
        lookRevision.set(lookRevision.get() + 1);
    }

    private void lookChanged() {
        repaintAll();
        inspector.setAttention(result.get() == null ? null : result.get().attention(), prompts.mapping(),
                prompts.names());
    }

    private void structureChanged(int[] remap) {
        if (editor != null && remap != null) {
            LabelMask m = editor.snapshot();
            byte[] labels = m.toBytes();
            for (int i = 0; i < labels.length; i++) {
                int v = labels[i] & 0xff;
                if (v < remap.length) {
                    labels[i] = (byte) remap[v];
                }
            }
            Region r = editor.replace(new LabelMask(m.width(), m.height(), labels), "Change classes");
            if (!r.isEmpty() && edited.get()) {
                afterEdit();
            } else {
                updateUndo();
            }
        }
        if (activeRow.get() >= prompts.rows().size()) {
            activeRow.set(Math.max(0, prompts.rows().size() - 1));
        }
        lookChanged();
        segment();
    }

    static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException
                || t.getMessage().startsWith(t.getCause().getClass().getName()))) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Saves unsaved edits on the calling thread (the app is closing), then closes the model. */
    @Override
    public void close() {
        if (needsSave()) {
            try {
                images.storeFor(imagePath.get()).save(imagePath.get(), editor.snapshot(), prompts.rowPrompts(),
                        AnnotationState.EDITED);
                savedVersion = editor.version();
            } catch (IOException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(MainViewModel.class).error("Could not save the edits of {}",
                        imagePath.get(), e);
            }
        }
        if (segmenter != null) {
            segmenter.close();
            segmenter = null;
        }
    }

    // Property accessors

    public PromptsViewModel prompts() {
        return prompts;
    }

    public InspectorViewModel inspector() {
        return inspector;
    }

    public ImagesViewModel images() {
        return images;
    }

    public OverlayOptions overlay() {
        return overlay;
    }

    public ReadOnlyObjectProperty<Path> imagePathProperty() {
        return imagePath.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<BufferedImage> imageProperty() {
        return image.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<SegmentationResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Increments whenever mask labels change ({@link #takeDirty} says where). */
    public ReadOnlyLongProperty maskRevisionProperty() {
        return maskRevision.getReadOnlyProperty();
    }

    /** Increments whenever colours, visibility or maps change. */
    public ReadOnlyLongProperty lookRevisionProperty() {
        return lookRevision.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty modelStatusProperty() {
        return modelStatus.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty deviceProperty() {
        return device.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty modelReadyProperty() {
        return modelReady.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty segmentingProperty() {
        return segmenting.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty editedProperty() {
        return edited.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty predictionPendingProperty() {
        return predictionPending.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty undoTextProperty() {
        return undoText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty redoTextProperty() {
        return redoText.getReadOnlyProperty();
    }

    /** Whether there is a mask to export. */
    public BooleanBinding canExport() {
        return Bindings.createBooleanBinding(() -> image.get() != null && modelReady.get() || edited.get(), image,
                modelReady, edited);
    }

    public ObjectProperty<Tool> toolProperty() {
        return tool;
    }

    public IntegerProperty brushRadiusProperty() {
        return brushRadius;
    }

    public IntegerProperty activeRowProperty() {
        return activeRow;
    }

    /** Large images in overlapping windows (MODEL_SPEC §9) rather than one squeezed pass. */
    public BooleanProperty slidingWindowsProperty() {
        return slidingWindows;
    }

    public ObservableList<double[]> polygon() {
        return polygon;
    }

    /** The device policy models are loaded with. */
    public ReadOnlyObjectProperty<DevicePolicy> devicePolicyProperty() {
        return devicePolicy;
    }
}

package org.seglight.ui;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import org.seglight.annotation.Autosaver;
import org.seglight.inference.SegmentationService;
import org.seglight.inference.Segmenter;
import org.seglight.mask.LabelMask;
import org.seglight.ui.common.Debouncer;
import org.seglight.ui.common.DialogService;
import org.seglight.ui.common.TaskRunner;
import org.seglight.ui.corrections.CorrectionsViewModel;
import org.seglight.ui.images.ImageSession;
import org.seglight.ui.images.ImagesViewModel;
import org.seglight.ui.images.RecentFiles;
import org.seglight.ui.inspector.InspectorViewModel;
import org.seglight.ui.prompts.PromptsViewModel;
import org.seglight.ui.viewer.OverlayOptions;

/**
 * The small coordinator of the main window: it owns the view-models, each with one job (the model, the open
 * images, the corrections, the class table, the project, the export), and passes events between them. Views bind
 * to the view-model they show; this class keeps only the status line and the order of things.
 */
public final class MainViewModel implements AutoCloseable {

    private final TaskRunner runner;
    private final PromptsViewModel prompts = new PromptsViewModel();
    private final InspectorViewModel inspector = new InspectorViewModel();
    private final OverlayOptions overlay = new OverlayOptions();
    private final CorrectionsViewModel corrections = new CorrectionsViewModel();
    private final ImagesViewModel images;
    private final Autosaver autosaver;
    private final ModelSession models;
    private final ImageSession session;
    private final ProjectViewModel project;
    private final SaveCoordinator saves;
    private final SegmentationRunner segmentation;
    private final ExportViewModel exports;
    private final ImageOpener opener;
    private final MaskImporter importer;
    private final LearnViewModel learn;
    private final ConfidenceSort confidence;
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(
            "Open an image or a folder (Ctrl+O, Ctrl+Shift+O) or drop one here");
    private final ReadOnlyLongWrapper lookRevision = new ReadOnlyLongWrapper();
    private final BooleanProperty slidingWindows = new SimpleBooleanProperty(true);
    /** Flip test-time augmentation for every segmentation the window makes (about twice the time). */
    private final BooleanProperty flipTta = new SimpleBooleanProperty(false);
    private final ReadOnlyBooleanWrapper closed = new ReadOnlyBooleanWrapper(false);
    private final StringBinding imageNotice;
    private final BooleanBinding imageDamaged;

    public MainViewModel(TaskRunner runner, DialogService dialogs, Debouncer debouncer, RecentFiles recent) {
        this(runner, dialogs, debouncer, recent, Segmenter::open);
    }

    public MainViewModel(TaskRunner runner, DialogService dialogs, Debouncer debouncer, RecentFiles recent,
            ModelSession.Opener modelOpener) {
        this.runner = runner;
        this.images = new ImagesViewModel(recent);
        this.autosaver = new Autosaver(images::storeFor);
        this.models = new ModelSession(runner, dialogs, modelOpener);
        this.session = new ImageSession(runner, autosaver);
        this.project = new ProjectViewModel(runner, dialogs, autosaver, images, prompts, models, corrections,
                session);
        this.saves = new SaveCoordinator(autosaver, session, images, prompts, project, corrections, dialogs,
                status::set, closed::get);
        this.segmentation = new SegmentationRunner(runner, dialogs, models, session, corrections, prompts,
                inspector, slidingWindows, saves::saveEdits, status::set);
        this.exports = new ExportViewModel(runner, dialogs, session, autosaver, models, prompts, images,
                status::set);
        this.opener = new ImageOpener(images, session, corrections, prompts, inspector, project, segmentation,
                dialogs, status::set, this::lookChanged);
        this.importer = new MaskImporter(session, corrections, prompts, dialogs);
        this.learn = new LearnViewModel(runner, dialogs, session, autosaver, models, prompts, images,
                project::modelChosen, status::set);
        this.confidence = new ConfidenceSort(runner, dialogs, models, prompts, images,
                () -> !slidingWindows.get(), status::set);
        this.imageDamaged = session.damageProperty().isNotNull();
        this.imageNotice = Bindings.createStringBinding(() -> notice(session.damageProperty().get(),
                session.notesProperty().get()), session.damageProperty(), session.notesProperty());
        slidingWindows.addListener((o, a, b) -> exports.setWholeImage(!b));
        flipTta.addListener((o, a, b) -> {
            SegmentationService current = models.current();
            if (current != null) {
                current.setTestTimeFlip(b);
                session.clearResults(); // the kept results were made the other way
                segmentation.segment();
            }
        });
        autosaver.setOnFailure((p, e) -> Platform.runLater(() -> saves.autosaveFailed(p, e)));
        models.setOnLoaded(this::modelLoaded);
        corrections.setOnEdited(e -> saves.saveEdits(session.pathProperty().get(), e));
        corrections.setOnUndoTag(project::undoTag);
        corrections.setLocked(prompts::locked);
        corrections.setSelector(new SmartSelector(session));
        project.setSaver(saves::saveEdits);
        prompts.setOnWordsChanged(() -> {
            project.changed();
            debouncer.call("resave", saves::resaveNames);
            debouncer.call("segment", segmentation::segment);
        });
        prompts.setOnLookChanged(() -> {
            project.changed();
            debouncer.call("resave", saves::resaveNames);
            lookChanged();
        });
        prompts.setOnStructureChanged(c -> {
            project.structureChanged(c);
            lookChanged();
            segmentation.segment();
        });
        prompts.setConfirmRemove(project::confirmRemove);
        prompts.setOnLockChanged(project::changed);
        opener.followStrip();
    }

    // Commands: model

    public void loadDefaultModel() {
        models.loadDefault();
    }

    /** Loads a model file the user chose; the project remembers it. */
    public void loadModel(Path file) {
        project.modelChosen(file);
        models.load(file);
    }

    public void reloadOnDevice(org.seglight.inference.DevicePolicy policy) {
        models.reloadOn(policy);
    }

    /** Model > Engine: loads the current model again on ONNX Runtime or PyTorch. */
    public void reloadWithEngine(org.seglight.inference.InferenceEngine engine) {
        models.reloadWith(engine);
    }

    /** Orders the strip by how sure the model is on each image, least sure first. */
    public void sortByConfidence() {
        confidence.run();
    }

    private void modelLoaded(SegmentationService loaded) {
        loaded.setTestTimeFlip(flipTta.get());
        project.adoptModel(loaded);
        session.clearResults();
        segmentation.segment();
    }

    // Commands: images

    public void openFiles(List<Path> files) {
        opener.openFiles(files);
    }

    public void openFolder(Path folder) {
        opener.openFolder(folder);
    }

    /** Opens a path given on the command line or dropped: a folder or an image. */
    public void open(Path path) {
        opener.open(path);
    }

    public void next() {
        images.next();
    }

    public void previous() {
        images.previous();
    }

    // Saving

    /** Waits until every mask handed to the autosaver is on disk; false when the timeout passed first. */
    public boolean flushSaves(Duration timeout) {
        return saves.flush(timeout);
    }

    /** The user accepts the open image's mask as correct: saved as Reviewed. */
    public void markReviewed() {
        saves.markReviewed();
    }

    // Commands: correction and export (the views call the view-models directly; these are shortcuts)

    public void applyPrediction() {
        corrections.applyPrediction();
    }

    public void undo() {
        corrections.undo();
    }

    public void redo() {
        corrections.redo();
    }

    /** Segments the open image again with the table's prompts. */
    public void segment() {
        segmentation.segment();
    }

    /** Loads an existing mask (indexed PNG or COCO) of this image, to correct it. */
    public void importMask(Path file) {
        importer.importMask(file);
    }

    public void exportCurrent(Path outDir) {
        corrections.endStroke();
        exports.exportCurrent(outDir);
    }

    public void exportAll(Path outDir) {
        corrections.endStroke();
        exports.exportAll(outDir);
    }

    /** The status bar's read-out of image pixel (x, y). */
    public String readout(int x, int y) {
        var img = session.imageProperty().get();
        var r = session.resultProperty().get();
        if (img == null) {
            return "";
        }
        return Readout.describe(x, y, img.getWidth(), img.getHeight(), corrections.labelAt(x, y), prompts.names(),
                r == null ? null : r.probabilities(), prompts.mapping().slotToRow());
    }

    /** The banner's words: the damage first, with what it means for the user's work, then the notes. */
    static String notice(String damage, List<String> notes) {
        List<String> parts = new java.util.ArrayList<>();
        if (damage != null) {
            parts.add(damage + ". You can segment and correct what was read; exports and learning leave this image"
                    + " out unless you choose to include it.");
        }
        parts.addAll(notes);
        return String.join("\n", parts);
    }

    private void lookChanged() {
        corrections.repaintAll();
        lookRevision.set(lookRevision.get() + 1);
        var r = session.resultProperty().get();
        inspector.setAttention(r == null ? null : r.attention(), prompts.mapping(), prompts.names());
    }

    /**
     * Closing: the open stroke ends, every unsaved mask goes to the autosaver, which writes all of them before
     * this returns; then background work drains, and only then is the model closed.
     */
    @Override
    public void close() {
        if (closed.get()) {
            return;
        }
        corrections.endStroke();
        session.allEdits().forEach(saves::saveEdits);
        session.allEdits().forEach(saves::saveUnbased);
        closed.set(true);
        autosaver.close();
        if (runner instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(MainViewModel.class).warn("Closing the background lanes", e);
            }
        }
        models.close();
    }

    // The view-models the views bind to

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

    public CorrectionsViewModel corrections() {
        return corrections;
    }

    public ImageSession session() {
        return session;
    }

    public ModelSession models() {
        return models;
    }

    public LearnViewModel learn() {
        return learn;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Increments whenever colours, visibility or maps change. */
    public ReadOnlyLongProperty lookRevisionProperty() {
        return lookRevision.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty segmentingProperty() {
        return segmentation.runningProperty();
    }

    /** Large images in overlapping windows (docs/NETWORK.md §9) rather than one squeezed pass. */
    public BooleanProperty flipTtaProperty() {
        return flipTta;
    }

    public BooleanProperty slidingWindowsProperty() {
        return slidingWindows;
    }

    /**
     * What the banner over the viewer says of the open image for as long as it is open: its damage when its file
     * decoded only in part, and notes such as the first page of several; empty when there is nothing to say.
     */
    public StringBinding imageNotice() {
        return imageNotice;
    }

    /** Whether the open image's file decoded only in part. */
    public BooleanBinding imageDamaged() {
        return imageDamaged;
    }

    /** Whether there is a mask to export. */
    public BooleanBinding canExport() {
        return Bindings.createBooleanBinding(() -> session.imageProperty().get() != null
                && (models.readyProperty().get() || corrections.editedProperty().get()), session.imageProperty(),
                models.readyProperty(), corrections.editedProperty());
    }

    /** The mask on screen, or null (tests and the export of one image). */
    public LabelMask mask() {
        return corrections.mask();
    }
}

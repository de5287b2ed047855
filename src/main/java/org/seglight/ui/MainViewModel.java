package org.seglight.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import org.seglight.annotation.AnnotationState;
import org.seglight.annotation.Autosaver;
import org.seglight.annotation.ImageEdits;
import org.seglight.annotation.LabelMask;
import org.seglight.inference.SegmentationService;
import org.seglight.inference.Segmenter;

/**
 * The small coordinator of the main window: it owns the view-models, each with one job (the model, the open
 * images, the corrections, the class table, the project, the export), and passes events between them. Views bind
 * to the view-model they show; this class keeps only the status line and the order of things.
 */
public final class MainViewModel implements AutoCloseable {

    private final TaskRunner runner;
    private final DialogService dialogs;
    private final PromptsViewModel prompts = new PromptsViewModel();
    private final InspectorViewModel inspector = new InspectorViewModel();
    private final OverlayOptions overlay = new OverlayOptions();
    private final CorrectionsViewModel corrections = new CorrectionsViewModel();
    private final ImagesViewModel images;
    private final Autosaver autosaver;
    private final ModelSession models;
    private final ImageSession session;
    private final ProjectViewModel project;
    private final SegmentationRunner segmentation;
    private final ExportViewModel exports;
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(
            "Open an image or a folder (Ctrl+O, Ctrl+Shift+O) or drop one here");
    private final ReadOnlyLongWrapper lookRevision = new ReadOnlyLongWrapper();
    private final BooleanProperty slidingWindows = new SimpleBooleanProperty(true);
    private final ReadOnlyBooleanWrapper closed = new ReadOnlyBooleanWrapper(false);

    public MainViewModel(TaskRunner runner, DialogService dialogs, Debouncer debouncer, RecentFiles recent) {
        this(runner, dialogs, debouncer, recent, Segmenter::open);
    }

    public MainViewModel(TaskRunner runner, DialogService dialogs, Debouncer debouncer, RecentFiles recent,
            ModelSession.Opener opener) {
        this.runner = runner;
        this.dialogs = dialogs;
        this.images = new ImagesViewModel(recent);
        this.autosaver = new Autosaver(images::storeFor);
        this.models = new ModelSession(runner, dialogs, opener);
        this.session = new ImageSession(runner, autosaver);
        this.project = new ProjectViewModel(runner, dialogs, autosaver, images, prompts, models, corrections,
                session);
        this.segmentation = new SegmentationRunner(runner, dialogs, models, session, corrections, prompts,
                inspector, slidingWindows, this::saveEdits, status::set);
        this.exports = new ExportViewModel(runner, dialogs, session, autosaver, models, prompts, images,
                status::set);
        slidingWindows.addListener((o, a, b) -> exports.setWholeImage(!b));
        autosaver.setOnFailure((p, e) -> javafx.application.Platform.runLater(() -> autosaveFailed(p, e)));
        models.setOnLoaded(this::modelLoaded);
        corrections.setOnEdited(e -> saveEdits(session.pathProperty().get(), e));
        corrections.setOnUndoTag(project::undoTag);
        project.setSaver(this::saveEdits);
        prompts.setOnWordsChanged(() -> {
            project.changed();
            debouncer.call("resave", this::resaveNames);
            debouncer.call("segment", segmentation::segment);
        });
        prompts.setOnLookChanged(() -> {
            project.changed();
            debouncer.call("resave", this::resaveNames);
            lookChanged();
        });
        prompts.setOnStructureChanged(c -> {
            project.structureChanged(c);
            lookChanged();
            segmentation.segment();
        });
        prompts.setConfirmRemove(project::confirmRemove);
        images.currentProperty().addListener((o, a, b) -> {
            Path p = images.currentPath();
            if (p != null && !project.isListing() && !p.equals(session.pathProperty().get())) {
                openImage(p);
            }
        });
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

    private void modelLoaded(SegmentationService loaded) {
        project.adoptModel(loaded);
        session.clearResults();
        segmentation.segment();
    }

    // Commands: images

    public void openFiles(List<Path> files) {
        if (!files.isEmpty()) {
            project.list("Cannot open", () -> images.openFiles(files), this::openCurrent);
        }
    }

    public void openFolder(Path folder) {
        project.list("Cannot open the folder", () -> images.openFolder(folder), this::openCurrent);
    }

    /** Opens a path given on the command line or dropped: a folder or an image. */
    public void open(Path path) {
        if (Files.isDirectory(path)) {
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

    private void openCurrent() {
        Path p = images.currentPath();
        if (p != null && !p.equals(session.pathProperty().get())) {
            openImage(p);
        }
    }

    private void openImage(Path p) {
        corrections.endStroke();
        corrections.show(null);
        session.open(p, project::opened, () -> shown(p), (path, e) -> {
            dialogs.showError("Cannot open the image", Messages.of(e));
            status.set("Could not open " + path.getFileName() + "; nothing else changed");
            Path back = session.pathProperty().get();
            if (back != null) {
                images.selectPath(back);
                shown(back);
            }
        });
    }

    private void shown(Path p) {
        ImageEdits e = session.edits(p);
        project.reconcile(p, e);
        corrections.show(e);
        inspector.setAttention(null, prompts.mapping(), prompts.names());
        var img = session.imageProperty().get();
        var note = project.takeOpenNote();
        segmentation.setNote(note.orElse(null));
        status.set(note.orElse(p.getFileName() + ": " + img.getWidth() + "×" + img.getHeight()));
        lookChanged();
        if (session.resultProperty().get() == null) {
            segmentation.segment();
        } else {
            inspector.setAttention(session.resultProperty().get().attention(), prompts.mapping(), prompts.names());
        }
    }

    // Saving

    /** Hands an image's mask to the autosaver when it has unsaved work; the write happens behind. */
    void saveEdits(Path p, ImageEdits e) {
        if (p == null || e == null || closed.get()) {
            return;
        }
        if (!e.classKeys().equals(prompts.rows())) {
            project.reconcile(p, e); // labels of an older table: matched first, then saved from there
            return;
        }
        if (!e.needsSave()) {
            return;
        }
        autosaver.save(p, e.editor().snapshot(), prompts.rowPrompts(), prompts.slots(), AnnotationState.EDITED);
        e.markSaved();
        images.setState(p, AnnotationState.EDITED);
        project.changed();
    }

    /**
     * A class was renamed or recoloured: every saved mask of this session in the current table is saved again,
     * so that the file names its classes as the table does now (its labels do not change).
     */
    private void resaveNames() {
        session.allEdits().forEach((p, e) -> {
            if (e.isEdited() && e.classKeys().equals(prompts.rows()) && !closed.get()) {
                AnnotationState state = images.state(p);
                autosaver.save(p, e.editor().snapshot(), prompts.rowPrompts(), prompts.slots(),
                        state == AnnotationState.NONE ? AnnotationState.EDITED : state);
                e.markSaved();
            }
        });
    }

    /** Waits until every mask handed to the autosaver is on disk; false when the timeout passed first. */
    public boolean flushSaves(java.time.Duration timeout) {
        return autosaver.flush(timeout);
    }

    /** The user accepts the open image's mask as correct: saved as Reviewed. */
    public void markReviewed() {
        Path p = session.pathProperty().get();
        ImageEdits e = session.edits(p);
        if (e == null || !e.hasBase()) {
            return;
        }
        corrections.endStroke();
        project.reconcile(p, e);
        autosaver.save(p, e.editor().snapshot(), prompts.rowPrompts(), prompts.slots(), AnnotationState.REVIEWED);
        e.markSaved();
        images.setState(p, AnnotationState.REVIEWED);
        status.set(p.getFileName() + " marked as reviewed");
    }

    private boolean autosaveFailedShown;

    private void autosaveFailed(Path p, java.io.IOException e) {
        status.set("Could not autosave " + p.getFileName() + ": " + Messages.of(e) + " (kept in memory; retried)");
        if (!autosaveFailedShown) {
            autosaveFailedShown = true;
            dialogs.showError("Autosave failed", "Your edits of " + p.getFileName() + " could not be saved: "
                    + Messages.of(e) + "\nThey stay in the app and are retried with every edit; export them to "
                    + "keep them elsewhere.");
        }
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
        project.importMask(file);
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
        session.allEdits().forEach(this::saveEdits);
        project.flush();
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
    public BooleanProperty slidingWindowsProperty() {
        return slidingWindows;
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

package org.seglight.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.seglight.annotation.AnnotationStore;
import org.seglight.annotation.Autosaver;
import org.seglight.annotation.ClassMatch;
import org.seglight.annotation.ImageEdits;
import org.seglight.annotation.Project;
import org.seglight.annotation.ProjectFile;
import org.seglight.inference.SegmentationService;
import org.seglight.mask.LabelMask;
import org.seglight.ui.common.DialogService;
import org.seglight.ui.common.Lane;
import org.seglight.ui.common.Messages;
import org.seglight.ui.common.TaskRunner;
import org.seglight.ui.corrections.CorrectionsViewModel;
import org.seglight.ui.images.ImageSession;
import org.seglight.ui.images.ImagesViewModel;
import org.seglight.ui.prompts.PromptsViewModel;

/**
 * A folder of images as a project that remembers: its class table and model are saved with it once the user
 * changes something (never when they only browse) and restored when it is opened again; every saved mask is
 * read back by class name (renamed classes follow their model slot), and the user is asked when a class it
 * used is missing. Class-table changes relabel the open mask as one undoable step.
 */
final class ProjectViewModel {

    /** Listing a folder's images. */
    interface Listing {
        void run() throws IOException;
    }

    private final TaskRunner runner;
    private final DialogService dialogs;
    private final Autosaver autosaver;
    private final ImagesViewModel images;
    private final PromptsViewModel prompts;
    private final ModelSession models;
    private final CorrectionsViewModel corrections;
    private final ImageSession session;
    private Path folder;
    private String model;
    private boolean programmatic;
    private boolean listing;
    private String openNote;
    private java.util.function.BiConsumer<Path, ImageEdits> save = (p, e) -> {};

    ProjectViewModel(TaskRunner runner, DialogService dialogs, Autosaver autosaver, ImagesViewModel images,
            PromptsViewModel prompts, ModelSession models, CorrectionsViewModel corrections, ImageSession session) {
        this.runner = runner;
        this.dialogs = dialogs;
        this.autosaver = autosaver;
        this.images = images;
        this.prompts = prompts;
        this.models = models;
        this.corrections = corrections;
        this.session = session;
    }

    /** Lists images, then reads the folder's project and the images' states in the background, then opens. */
    void list(String errorTitle, Listing l, Runnable open) {
        listing = true;
        try {
            l.run();
        } catch (IOException | RuntimeException e) {
            dialogs.showError(errorTitle, Messages.of(e));
            return;
        } finally {
            listing = false;
        }
        Path first = images.currentPath();
        Path dir = first == null ? null : first.toAbsolutePath().getParent();
        List<Path> all = images.items().stream().map(ImagesViewModel.Item::path).toList();
        runner.run(Lane.IO, "Reading the project", false, progress -> {
            Optional<Project> p = dir == null || dir.equals(folder) ? Optional.empty()
                    : ProjectFile.read(images.storeFor(first));
            Map<Path, org.seglight.annotation.AnnotationState> states = new java.util.HashMap<>();
            all.forEach(x -> states.put(x, autosaver.state(x)));
            return new Object[] {p, states};
        }, out -> {
            @SuppressWarnings("unchecked")
            Optional<Project> p = (Optional<Project>) out[0];
            @SuppressWarnings("unchecked")
            Map<Path, org.seglight.annotation.AnnotationState> states =
                    (Map<Path, org.seglight.annotation.AnnotationState>) out[1];
            states.forEach(images::setState);
            if (dir != null && !dir.equals(folder)) {
                folder = dir;
                model = null;
                p.ifPresent(this::apply);
            }
            open.run();
        }, e -> {
            dialogs.showError("Cannot read the project", Messages.of(e) + "\nThe class table stays as it is.");
            folder = dir;
            open.run();
        });
    }

    private void apply(Project p) {
        programmatic = true;
        try {
            model = p.model();
            prompts.restore(p);
        } finally {
            programmatic = false;
        }
        if (p.model() != null && !Path.of(p.model()).equals(models.file())) {
            models.load(Path.of(p.model()));
        }
    }

    /** How an image's edits are handed to the autosaver. */
    void setSaver(java.util.function.BiConsumer<Path, ImageEdits> s) {
        save = s;
    }

    /** Whether images are being listed (the coordinator opens the current image after the project is read). */
    boolean isListing() {
        return listing;
    }

    /** The user changed something the project keeps: save the table (behind, through the autosaver). */
    void changed() {
        if (!programmatic && folder != null && !prompts.rows().isEmpty()) {
            autosaver.saveProject(folder, new Project(prompts.toProjectClasses(), model));
        }
    }

    void modelChosen(Path file) {
        model = file.toAbsolutePath().toString();
        changed();
    }

    void adoptModel(SegmentationService loaded) {
        programmatic = true;
        try {
            prompts.adoptModel(loaded.defaultPrompts());
        } finally {
            programmatic = false;
        }
    }

    /** A background open brought an image: its edits start from its saved mask, matched to the table. */
    void opened(ImageSession.Opened o, ImageEdits existing) {
        if (existing != null) {
            return; // the session's edits are newer than anything on disk
        }
        ImageEdits e = new ImageEdits(o.image().getWidth(), o.image().getHeight(),
                CorrectionsViewModel.UNDO_BUDGET, prompts.rows());
        session.keep(o.path(), e);
        if (o.saved().isEmpty()) {
            openNote = null;
            return;
        }
        AnnotationStore.Saved s = o.saved().get();
        if (s.mask().width() != e.width() || s.mask().height() != e.height()) {
            openNote = "The saved mask of " + o.path().getFileName() + " has another size; it was not used";
            return;
        }
        ClassMatch match = ClassMatch.of(s.classes().names(), s.slots(), prompts.names(), prompts.slots());
        List<String> missing = match.missingPresent(s.mask());
        if (!missing.isEmpty() && dialogs.confirm("Classes missing", "The saved mask of "
                + o.path().getFileName() + " has pixels of classes the table does not have: "
                + String.join(", ", missing) + ".\nOK adds them to the class table (painted by hand). Cancel "
                + "shows those pixels as void; the saved file stays as it is until you edit this image.")) {
            missing.forEach(prompts::add);
            e.setClassKeys(prompts.rows());
            match = ClassMatch.of(s.classes().names(), s.slots(), prompts.names(), prompts.slots());
        }
        e.baseFromSave(match.apply(s.mask(), LabelMask.VOID));
        if (match.missingPresent(s.mask()).isEmpty() && !s.classes().names().equals(prompts.names())) {
            // Read under another table, with nothing lost: the file is brought to the table's names now, so it
            // never depends on a rename it did not see. (Voided classes keep the file as it was.)
            e.markUnsaved();
            save.accept(o.path(), e);
        }
        openNote = "Recovered your edits of " + o.path().getFileName() + " (saved "
                + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                        .withZone(java.time.ZoneId.systemDefault()).format(s.saved()) + ")"
                + (match.isIdentity() ? "" : "; classes matched by name");
    }

    Optional<String> takeOpenNote() {
        String n = openNote;
        openNote = null;
        return Optional.ofNullable(n);
    }

    /** Edits made under an earlier class table follow their classes into this one (one undoable step). */
    void reconcile(Path p, ImageEdits e) {
        if (e == null || e.classKeys().equals(prompts.rows())) {
            return;
        }
        // The history too: undo keeps working, in the new table's labels.
        e.editor().relabelAll(TableRelabel.lut(e.classKeys(), prompts.rows()));
        e.setClassKeys(prompts.rows());
        if (e.isEdited()) {
            e.markUnsaved();
        }
        save.accept(p, e);
    }

    /** The other images of the session follow a change of the table at once, and are saved so. */
    private void followTable() {
        ImageEdits shown = corrections.edits();
        session.allEdits().forEach((p, e) -> {
            if (e != shown) {
                reconcile(p, e);
            }
        });
    }

    /** Rows were added, removed, moved or replaced: the open mask follows, as one undoable step. */
    void structureChanged(PromptsViewModel.TableChange c) {
        ImageEdits e = corrections.edits();
        if (e != null && e.classKeys().equals(c.before())) {
            LabelMask relabelled = TableRelabel.apply(e.editor().snapshot(), TableRelabel.remap(c));
            var region = e.editor().replace(relabelled, c.name(), c);
            e.setClassKeys(c.after()); // before it is saved: the labels refer to the new rows now
            corrections.changed(region);
        }
        followTable();
        if (corrections.activeRowProperty().get() >= prompts.rows().size()) {
            corrections.activeRowProperty().set(Math.max(0, prompts.rows().size() - 1));
        }
        changed();
    }

    /** Undo or redo reached a class-table change: the table goes back (or forward) with the mask. */
    void undoTag(Object tag, boolean undo) {
        if (tag instanceof PromptsViewModel.TableChange c) {
            programmatic = true;
            try {
                prompts.restore(undo ? c.before() : c.after());
            } finally {
                programmatic = false;
            }
            ImageEdits e = corrections.edits();
            if (e != null) {
                e.setClassKeys(prompts.rows());
            }
            followTable();
            changed();
        }
    }

    boolean confirmRemove(int row) {
        String name = prompts.names().get(row);
        long pixels = corrections.hasMask() ? corrections.mask().histogram()[row] : 0;
        return dialogs.confirm("Remove class '" + name + "'?", "Remove '" + name + "' from the class table?"
                + (pixels > 0 ? " Its " + pixels + " pixels in this image become void where you corrected it, or"
                        + " the best remaining class where the model labelled it." : "")
                + "\nEdit > Undo brings the class and its pixels back.");
    }
}

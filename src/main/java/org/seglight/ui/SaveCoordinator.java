package org.seglight.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.seglight.annotation.AnnotationState;
import org.seglight.annotation.Autosaver;
import org.seglight.annotation.ImageEdits;
import org.seglight.ui.common.DialogService;
import org.seglight.ui.common.Messages;
import org.seglight.ui.corrections.CorrectionsViewModel;
import org.seglight.ui.images.ImageSession;
import org.seglight.ui.images.ImagesViewModel;
import org.seglight.ui.prompts.PromptsViewModel;

/**
 * When the main window's masks are handed to the {@link Autosaver}: after each change, again when a class is
 * renamed or recoloured, and as Reviewed when the user accepts one. Masks made under an older class table are
 * matched to the current one first, so a file never names its classes as a table it did not see. A failed
 * autosave is told once in a dialog and every time in the status line.
 */
final class SaveCoordinator {

    private final Autosaver autosaver;
    private final ImageSession session;
    private final ImagesViewModel images;
    private final PromptsViewModel prompts;
    private final ProjectViewModel project;
    private final CorrectionsViewModel corrections;
    private final DialogService dialogs;
    private final Consumer<String> status;
    private final BooleanSupplier closed;
    private boolean autosaveFailedShown;

    /** @param closed whether the window has closed, after which nothing more is handed to the autosaver */
    SaveCoordinator(Autosaver autosaver, ImageSession session, ImagesViewModel images, PromptsViewModel prompts,
            ProjectViewModel project, CorrectionsViewModel corrections, DialogService dialogs,
            Consumer<String> status, BooleanSupplier closed) {
        this.autosaver = autosaver;
        this.session = session;
        this.images = images;
        this.prompts = prompts;
        this.project = project;
        this.corrections = corrections;
        this.dialogs = dialogs;
        this.status = status;
        this.closed = closed;
    }

    /** Hands an image's mask to the autosaver when it has unsaved work; the write happens behind. */
    void saveEdits(Path p, ImageEdits e) {
        if (p == null || e == null || closed.getAsBoolean()) {
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
     * The app is closing while an image's strokes still wait for its prediction: they are saved on the void
     * mask they were drawn on, so that they are not lost; the prediction then waits behind them on reopening.
     */
    void saveUnbased(Path p, ImageEdits e) {
        if (p != null && e != null && e.hasUnbasedEdits() && !closed.getAsBoolean()
                && e.classKeys().equals(prompts.rows())) {
            autosaver.save(p, e.editor().snapshot(), prompts.rowPrompts(), prompts.slots(), AnnotationState.EDITED);
        }
    }

    /**
     * A class was renamed or recoloured: every saved mask of this session in the current table is saved again,
     * so that the file names its classes as the table does now (its labels do not change).
     */
    void resaveNames() {
        session.allEdits().forEach((p, e) -> {
            if (e.isEdited() && e.classKeys().equals(prompts.rows()) && !closed.getAsBoolean()) {
                AnnotationState state = images.state(p);
                autosaver.save(p, e.editor().snapshot(), prompts.rowPrompts(), prompts.slots(),
                        state == AnnotationState.NONE ? AnnotationState.EDITED : state);
                e.markSaved();
            }
        });
    }

    /** Waits until every mask handed to the autosaver is on disk; false when the timeout passed first. */
    boolean flush(Duration timeout) {
        return autosaver.flush(timeout);
    }

    /**
     * The user accepts the open image's mask as correct: saved as Reviewed. Asked again of a reviewed image, the
     * mark is taken back: saved as Edited (the mask stays as it is).
     */
    void markReviewed() {
        Path p = session.pathProperty().get();
        ImageEdits e = session.edits(p);
        if (e == null || !e.hasBase()) {
            return;
        }
        corrections.endStroke();
        project.reconcile(p, e);
        boolean undo = images.state(p) == AnnotationState.REVIEWED;
        AnnotationState state = undo ? AnnotationState.EDITED : AnnotationState.REVIEWED;
        autosaver.save(p, e.editor().snapshot(), prompts.rowPrompts(), prompts.slots(), state);
        e.markSaved();
        images.setState(p, state);
        int left = images.count(org.seglight.ui.images.ImagesViewModel.Filter.TO_REVIEW);
        status.accept(undo ? p.getFileName() + " is no longer marked as reviewed"
                : p.getFileName() + " marked as reviewed · " + left + (left == 1 ? " image" : " images")
                        + " still to review");
    }

    /** An autosave failed (on the UI thread): the edits stay in memory and are retried with the next one. */
    void autosaveFailed(Path p, IOException e) {
        status.accept("Could not autosave " + p.getFileName() + ": " + Messages.of(e)
                + " (kept in memory; retried)");
        if (!autosaveFailedShown) {
            autosaveFailedShown = true;
            dialogs.showError("Autosave failed", "Your edits of " + p.getFileName() + " could not be saved: "
                    + Messages.of(e) + "\nThey stay in the app and are retried with every edit; export them to "
                    + "keep them elsewhere.");
        }
    }
}

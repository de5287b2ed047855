package org.seglight.ui;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import org.seglight.annotation.ImageEdits;
import org.seglight.inference.SegmentationResult;
import org.seglight.inference.SlotMapping;
import org.seglight.inference.Timings;
import org.seglight.mask.LabelMask;
import org.seglight.ui.common.DialogService;
import org.seglight.ui.common.Lane;
import org.seglight.ui.common.Messages;
import org.seglight.ui.common.TaskRunner;
import org.seglight.ui.corrections.CorrectionsViewModel;
import org.seglight.ui.images.ImageSession;
import org.seglight.ui.inspector.InspectorViewModel;
import org.seglight.ui.prompts.ClassRow;
import org.seglight.ui.prompts.PromptsViewModel;

/**
 * Segments the open image with the class table's prompts on the model lane, and hands the prediction to the
 * image's edits: it becomes the mask when the user has not corrected it, or waits as a pending prediction. A
 * stale run (another image, other prompts) is cancelled or its result dropped; a prediction that lands while a
 * stroke is drawn waits until the stroke ends.
 */
final class SegmentationRunner {

    private final TaskRunner runner;
    private final DialogService dialogs;
    private final ModelSession models;
    private final ImageSession session;
    private final CorrectionsViewModel corrections;
    private final PromptsViewModel prompts;
    private final InspectorViewModel inspector;
    private final BooleanProperty slidingWindows;
    private final BiConsumer<Path, ImageEdits> save;
    private final Consumer<String> status;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private TaskRunner.Handle current;
    private Path currentPath;
    /** Said once after an image opened (a recovery), kept in front of its first segmentation's status. */
    private String note;

    SegmentationRunner(TaskRunner runner, DialogService dialogs, ModelSession models, ImageSession session,
            CorrectionsViewModel corrections, PromptsViewModel prompts, InspectorViewModel inspector,
            BooleanProperty slidingWindows, BiConsumer<Path, ImageEdits> save, Consumer<String> status) {
        this.runner = runner;
        this.dialogs = dialogs;
        this.models = models;
        this.session = session;
        this.corrections = corrections;
        this.prompts = prompts;
        this.inspector = inspector;
        this.slidingWindows = slidingWindows;
        this.save = save;
        this.status = status;
    }

    /** Images above this many pixels show their segmentation's progress in the status bar, with cancel. */
    static final long SHOWN_PIXELS = 4_000_000L;

    /** Segments the open image with the table's prompts (backbone features are reused for the same image). */
    void segment() {
        Path path = session.pathProperty().get();
        BufferedImage img = session.imageProperty().get();
        if (img == null || path == null || prompts.modelPrompts() == null) {
            return;
        }
        Optional<String> problem = prompts.problem();
        if (problem.isPresent()) {
            status.accept(problem.get() + ": the prompts are not run until this is fixed");
            return;
        }
        Optional<ModelSession.Lease> lease = models.acquire();
        if (lease.isEmpty()) {
            return;
        }
        if (current != null && !waitsForBase(currentPath)) {
            current.cancel(); // a stale run's result is dropped; a queued one never starts
        }
        currentPath = path;
        var networkPrompts = prompts.networkPrompts();
        SlotMapping mapping = prompts.mapping();
        List<ClassRow> rows = List.copyOf(prompts.rows());
        boolean whole = !slidingWindows.get();
        running.set(true);
        ModelSession.Lease l = lease.get();
        // A large image takes long enough to show its progress, window by window, with a cancel button.
        boolean large = (long) img.getWidth() * img.getHeight() > SHOWN_PIXELS;
        String title = "Segmenting " + path.getFileName();
        var mine = new java.util.concurrent.atomic.AtomicReference<TaskRunner.Handle>();
        int[] reached = {0, 0}; // windows done, of
        current = runner.run(Lane.MODEL, title, large, progress -> {
            SegmentationResult r;
            try {
                r = l.service().segment(img, networkPrompts, whole, (done, total) -> {
                    reached[0] = done;
                    reached[1] = total;
                    progress.update(title + ": window " + done + " of " + total, done, total);
                    return !progress.isCancelled();
                });
            } catch (java.util.concurrent.CancellationException e) {
                throw new org.seglight.task.CancelledException(e.getMessage());
            }
            return new Object[] {r, mapping.toRows(r.mask(), r.probabilities())};
        }, out -> {
            running.set(false);
            SegmentationResult r = (SegmentationResult) out[0];
            LabelMask predicted = (LabelMask) out[1];
            if (!rows.equals(prompts.rows())) {
                return; // the table changed meanwhile: a newer run is on its way
            }
            session.setResult(path, r);
            corrections.whenNoStroke(() -> arrived(path, r, predicted));
        }, e -> {
            running.set(false);
            status.accept("Segmentation failed: " + Messages.of(e));
            dialogs.showError("Segmentation failed", Messages.of(e));
        }, () -> {
            l.close(); // also when this run is cancelled before it starts, as stale runs are
            TaskRunner.Handle h = mine.get();
            if (h != null && h.isCancelled()) {
                // Neither callback runs for a cancelled run: if it is still the current one, the user cancelled it.
                runner.onUiThread(() -> {
                    if (current == h) {
                        running.set(false);
                        status.accept("Segmenting " + path.getFileName() + " was cancelled"
                                + (reached[1] > 0 ? " after " + reached[0] + " of " + reached[1] + " windows" : "")
                                + ": no new mask; Model > Segment again (F5) runs it again");
                    }
                });
            }
        });
        mine.set(current);
    }

    private void arrived(Path path, SegmentationResult r, LabelMask predicted) {
        ImageEdits e = session.edits(path);
        if (e == null || !e.classKeys().equals(prompts.rows())) {
            return; // its labels refer to another table: it is matched when shown, then segmented again
        }
        boolean changed = e.offerPrediction(predicted);
        boolean onScreen = path.equals(session.pathProperty().get()) && corrections.edits() == e;
        if (onScreen) {
            corrections.refresh();
            if (changed) {
                corrections.repaintAll();
            }
            inspector.setAttention(r.attention(), prompts.mapping(), prompts.names());
            Timings t = r.timings();
            String prefix = note == null ? "" : note + " · ";
            note = null;
            status.accept(prefix + String.format("Segmented %s in %.0f ms (image encoder %.0f, text %.0f, fusion + FPN %.0f%s)"
                    + " on %s%s", path.getFileName(), t.totalMs(), t.encodeMs(), t.textMs(), t.decodeMs(),
                    t.windows() > 1 ? ", " + t.windows() + " windows" : "", r.device(),
                    e.pendingPrediction() != null ? "; your corrections are kept: Apply prediction (Ctrl+R) to use"
                            + " the new mask" : ""));
        }
        save.accept(path, e); // corrections made before the prediction arrived are now on top of it
    }

    /**
     * Whether an image's prediction must not be dropped: strokes were made on it before any base arrived, and
     * they are applied (and saved) only once it does.
     */
    private boolean waitsForBase(Path p) {
        ImageEdits e = session.edits(p);
        return e != null && !e.hasBase() && e.isEdited();
    }

    /** A sentence to keep in front of the next segmentation's status. */
    void setNote(String n) {
        note = n;
    }

    ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }
}

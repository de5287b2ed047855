package org.seglight.annotation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.seglight.mask.LabelMask;
import org.seglight.mask.Region;

/**
 * One image's mask under correction for the whole session, with its undo history, kept while the user moves to
 * other images and back.
 *
 * <p>The mask has a <em>base</em>: the image's saved annotation or, when it has none, the model's prediction.
 * Both arrive in the background; until one does, the user may already correct the image: those operations are
 * applied to a provisional void mask (so they show) and recorded, and when the base lands they are applied
 * again on top of it, each as an undo step. Nothing the user does is dropped because something arrived late.
 *
 * <p>The labels are row numbers of the class table as it was when they were made; {@link #classKeys()} names
 * those rows (by identity in this session), so a table that changed since can be matched by class, never by
 * number. Confined to the UI thread, like {@link MaskEditor}.
 */
public final class ImageEdits {

    private final int width;
    private final int height;
    private final long undoBudget;
    private MaskEditor editor;
    private boolean based;
    private boolean edited;
    private boolean fromSave;
    /** Operations made before the base arrived, oldest first; their undone tail is kept for redo. */
    private final List<EditOp> early = new ArrayList<>();
    private final Deque<EditOp> earlyUndone = new ArrayDeque<>();
    private long savedVersion = -1;
    private LabelMask pendingPrediction;
    private List<?> classKeys;

    /**
     * @param classKeys the class table's rows the labels refer to, in label order
     */
    public ImageEdits(int width, int height, long undoBudget, List<?> classKeys) {
        this.width = width;
        this.height = height;
        this.undoBudget = undoBudget;
        byte[] voidMask = new byte[Math.multiplyExact(width, height)];
        Arrays.fill(voidMask, (byte) LabelMask.VOID);
        this.editor = new MaskEditor(LabelMask.adopt(width, height, voidMask), undoBudget);
        this.classKeys = List.copyOf(classKeys);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The editor of the mask shown now (provisional until the base arrived). */
    public MaskEditor editor() {
        return editor;
    }

    /** Whether the saved annotation or a prediction has arrived. */
    public boolean hasBase() {
        return based;
    }

    /** Whether the mask holds the user's work (a saved annotation, or any correction). */
    public boolean isEdited() {
        return edited;
    }

    /** Whether the base is the image's saved annotation. */
    public boolean isFromSave() {
        return fromSave;
    }

    /** The class rows the labels refer to. */
    public List<?> classKeys() {
        return classKeys;
    }

    /** The labels now refer to these rows (after a relabelling to a changed table). */
    public void setClassKeys(List<?> keys) {
        classKeys = List.copyOf(keys);
    }

    /**
     * The image's saved annotation arrived (already in the current table's labels): it becomes the base and the
     * operations made meanwhile are applied on top.
     */
    public void baseFromSave(LabelMask saved) {
        checkSize(saved);
        fromSave = true;
        edited = true;
        rebase(saved);
        savedVersion = early.isEmpty() ? editor.version() : -1;
        early.clear();
        earlyUndone.clear();
    }

    /**
     * A prediction arrived (in the current table's labels). Without a base it becomes the base (the operations
     * made meanwhile go on top of it); when the mask holds the user's work it waits as a pending prediction
     * ({@link #applyPrediction}); otherwise it replaces the mask, undo history and all, since nothing of the
     * user's is in it.
     *
     * @return whether the shown mask changed
     */
    public boolean offerPrediction(LabelMask predicted) {
        checkSize(predicted);
        if (based && !edited && editor.canUndo()) {
            // Not the user's work, but its history holds class-table changes: keep them undoable.
            editor.replace(predicted, "Prediction");
            savedVersion = editor.version();
            pendingPrediction = null;
            return true;
        }
        if (!based || !edited) {
            boolean replay = !early.isEmpty();
            rebase(predicted);
            early.clear();
            earlyUndone.clear();
            // A fresh prediction has nothing of the user's to save; one with corrections replayed on it does.
            savedVersion = replay ? -1 : editor.version();
            pendingPrediction = null;
            return true;
        }
        pendingPrediction = predicted.equals(editor.snapshot()) ? null : predicted;
        return false;
    }

    private void rebase(LabelMask base) {
        editor = new MaskEditor(base, undoBudget);
        based = true;
        for (EditOp op : early) {
            op.applyTo(editor);
        }
        if (!early.isEmpty()) {
            edited = true;
        }
    }

    /** The prediction waiting because the user's corrections are kept, or null. */
    public LabelMask pendingPrediction() {
        return pendingPrediction;
    }

    /** Replaces the mask by the pending prediction, as one undoable step. */
    public Region applyPrediction() {
        if (pendingPrediction == null) {
            return Region.EMPTY;
        }
        Region r = apply(new EditOp.Replace(pendingPrediction, "Apply prediction"));
        pendingPrediction = null;
        return r;
    }

    /** Applies a finished user operation; returns what changed. */
    public Region apply(EditOp op) {
        long before = editor.version();
        Region r = op.applyTo(editor);
        recorded(op, editor.version() != before);
        return r;
    }

    /**
     * A stroke painted interactively on {@link #editor()} has finished: remember it as an operation.
     *
     * @param changed whether it changed any label
     */
    public void strokeFinished(EditOp.Stroke stroke, boolean changed) {
        recorded(stroke, changed);
    }

    /** Before the base, every operation is kept (it may change the base); after it, only real changes count. */
    private void recorded(EditOp op, boolean changed) {
        if (!based) {
            early.add(op);
            earlyUndone.clear();
            edited = true;
        } else if (changed) {
            edited = true;
        }
    }

    public Region undo() {
        if (!based && !early.isEmpty() && editor.canUndo()) {
            earlyUndone.push(early.removeLast());
        }
        return editor.undo();
    }

    public Region redo() {
        if (!based && !earlyUndone.isEmpty() && editor.canRedo()) {
            early.add(earlyUndone.pop());
        }
        return editor.redo();
    }

    /**
     * Whether the mask has changes the autosaver has not been given. Not before the base arrived: a save of the
     * provisional void mask would stand for the image's annotation; the corrections are saved on the base.
     */
    public boolean needsSave() {
        return based && edited && editor.version() != savedVersion;
    }

    /** Whether the user corrected the image before its saved mask or prediction arrived (nothing saved yet). */
    public boolean hasUnbasedEdits() {
        return !based && edited;
    }

    /** The file on disk no longer says what the mask says (another class table): save it again. */
    public void markUnsaved() {
        savedVersion = -1;
    }

    /** The autosaver was given the mask as it is now. */
    public void markSaved() {
        savedVersion = editor.version();
    }

    private void checkSize(LabelMask m) {
        Objects.requireNonNull(m, "mask");
        if (m.width() != width || m.height() != height) {
            throw new IllegalArgumentException("The mask is " + m.width() + "×" + m.height() + " but the image is "
                    + width + "×" + height);
        }
    }
}

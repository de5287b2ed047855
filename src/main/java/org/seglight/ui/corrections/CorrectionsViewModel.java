package org.seglight.ui.corrections;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.seglight.annotation.EditOp;
import org.seglight.annotation.ImageEdits;
import org.seglight.annotation.MaskEditor;
import org.seglight.mask.LabelMask;
import org.seglight.mask.Region;
import org.seglight.mask.SmartSelect;

/**
 * The correction tools on the open image's {@link ImageEdits}: brush and eraser strokes, polygons, fills,
 * undo and redo (per image, for the whole session), the pending prediction, and the repaint protocol the viewer
 * follows (which region changed). Every finished change is reported to {@code onEdited}, which autosaves it.
 */
public final class CorrectionsViewModel {

    /** Undo history is kept within this much memory per image. */
    public static final long UNDO_BUDGET = 256L << 20;

    private final ObjectProperty<Tool> tool = new SimpleObjectProperty<>(Tool.INSPECT);
    private final IntegerProperty brushRadius = new SimpleIntegerProperty(8);
    private final IntegerProperty activeRow = new SimpleIntegerProperty(0);
    private final ObservableList<double[]> polygon = FXCollections.observableArrayList();
    private final ObservableList<double[]> closedPolygon = FXCollections.observableArrayList();
    private final IntegerProperty tolerance = new SimpleIntegerProperty(SmartSelect.DEFAULT_TOLERANCE);
    private final ReadOnlyBooleanWrapper edited = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper predictionPending = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper undoText = new ReadOnlyStringWrapper("Undo");
    private final ReadOnlyStringWrapper redoText = new ReadOnlyStringWrapper("Redo");

    private final StrokeRecorder stroke = new StrokeRecorder();
    private final MaskDamage damage = new MaskDamage();
    private ImageEdits edits;
    private Consumer<ImageEdits> onEdited = e -> {};
    private BiConsumer<Object, Boolean> onUndoTag = (t, undo) -> {};

    /** Grows the smart select's region from a click: the image and the model's scores of the open image. */
    @FunctionalInterface
    public interface RegionSelector {
        /** The region grown from (x, y), or null when there is nothing to select from (no image). */
        SmartSelect.Selection select(int x, int y, int tolerance);
    }

    /**
     * The newest step, while it still is, when it can be changed in place: a closed polygon (its corners) or a
     * smart select (its tolerance). {@code version} is the editor's version right after it.
     */
    private record Amendable(ImageEdits edits, long version, EditOp op, int x, int y) {}

    private Amendable last;
    private RegionSelector selector = (x, y, t) -> null;

    public CorrectionsViewModel() {
        tolerance.addListener((o, a, b) -> reselect());
    }

    /** Where the smart select reads the open image and the model's scores. */
    public void setSelector(RegionSelector selector) {
        this.selector = selector;
    }

    /** Called after every finished change of a mask (autosave). */
    public void setOnEdited(Consumer<ImageEdits> c) {
        onEdited = c;
    }

    /** Called with the tag of a step undone (true) or redone (false): a class-table change to follow. */
    public void setOnUndoTag(BiConsumer<Object, Boolean> c) {
        onUndoTag = c;
    }

    /** Shows another image's edits (or none); an open stroke or polygon is finished first. */
    public void show(ImageEdits e) {
        endStroke();
        polygon.clear();
        last = null;
        edits = e;
        refresh();
        repaintAll();
    }

    /** The edits on screen, or null. */
    public ImageEdits edits() {
        return edits;
    }

    // Tools

    /** Where the painting tools learn which classes (by row) are locked against overpainting. */
    public void setLocked(java.util.function.Supplier<boolean[]> lockedRows) {
        this.lockedRows = lockedRows;
    }

    private java.util.function.Supplier<boolean[]> lockedRows = () -> new boolean[0];

    public void beginStroke(double x, double y) {
        if (edits == null) {
            return;
        }
        endStroke();
        edits.editor().lock(lockedRows.get());
        boolean erase = tool.get() == Tool.ERASER;
        int label = erase ? LabelMask.VOID : activeRow.get();
        stroke.begin(edits, erase ? "Eraser" : "Brush", label, brushRadius.get());
        strokeTo(x, y);
    }

    public void strokeTo(double x, double y) {
        damage.add(stroke.lineTo(x, y));
    }

    /** Ends the stroke at (x, y), painting up to there first. */
    public void endStroke(double x, double y) {
        strokeTo(x, y);
        endStroke();
    }

    /** Ends the stroke in progress, if any, as one undoable step; changes held back meanwhile run now. */
    public void endStroke() {
        if (stroke.finish()) {
            afterEdit();
            stroke.takeDeferred().forEach(Runnable::run);
        }
    }

    /**
     * Runs a change of the mask from outside (a saved annotation or a prediction arriving) now, or, while a
     * stroke is being drawn, as soon as it ends: replacing the editor under an open stroke would drop it.
     */
    public void whenNoStroke(Runnable change) {
        stroke.whenNoStroke(change);
    }

    /** Adds a polygon corner; a click near the first corner closes it. */
    public void polygonClick(double x, double y, double closeDistance) {
        if (edits == null) {
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
        last = null; // a new polygon: the closed one is done with
        closedPolygon.clear();
    }

    public void closePolygon() {
        if (edits == null || polygon.size() < 3) {
            polygon.clear();
            return;
        }
        double[] xs = polygon.stream().mapToDouble(p -> p[0]).toArray();
        double[] ys = polygon.stream().mapToDouble(p -> p[1]).toArray();
        polygon.clear();
        EditOp op = new EditOp.Polygon(xs, ys, activeRow.get());
        long before = edits.editor().version();
        applyPainting(op);
        remember(op, 0, 0, edits.editor().version() != before);
    }

    // Changing the newest polygon or smart select in place

    /** Keeps {@code op}, just applied, changeable while it is the newest step (when it made one). */
    private void remember(EditOp op, int x, int y, boolean madeStep) {
        last = madeStep && edits != null ? new Amendable(edits, edits.editor().version(), op, x, y) : null;
        refresh();
    }

    private boolean amendable() {
        return last != null && last.edits() == edits && edits != null && edits.editor().version() == last.version();
    }

    /** Replaces the newest step by {@code op} as one step (undo then goes back to before either). */
    private void amend(EditOp op, int x, int y) {
        endStroke();
        edits.editor().lock(lockedRows.get());
        boolean madeStep;
        try {
            Region r = edits.undo();
            long before = edits.editor().version();
            r = r.union(edits.apply(op));
            madeStep = edits.editor().version() != before;
            damage.add(r);
        } finally {
            edits.editor().lock(new boolean[0]);
        }
        afterEdit();
        remember(op, x, y, madeStep);
    }

    /**
     * The corners of the polygon closed last, while it is the newest step: dragging one, adding one on an edge
     * or removing one changes that polygon in place (one step still). Empty otherwise.
     */
    public ObservableList<double[]> closedPolygon() {
        return closedPolygon;
    }

    /** Moves corner i of the closed polygon (shown only; {@link #commitPolygonEdit} applies it). */
    public void moveCorner(int i, double x, double y) {
        if (i >= 0 && i < closedPolygon.size()) {
            closedPolygon.set(i, new double[] {x, y});
        }
    }

    /** Adds a corner to the closed polygon after corner i (shown only until {@link #commitPolygonEdit}). */
    public void insertCorner(int afterIndex, double x, double y) {
        if (afterIndex >= 0 && afterIndex < closedPolygon.size()) {
            closedPolygon.add(afterIndex + 1, new double[] {x, y});
        }
    }

    /** Removes corner i of the closed polygon and applies it, keeping at least three corners. */
    public void removeCorner(int i) {
        if (closedPolygon.size() > 3 && i >= 0 && i < closedPolygon.size()) {
            closedPolygon.remove(i);
            commitPolygonEdit();
        }
    }

    /** Applies the closed polygon's corners as they are shown now, in place of the polygon step. */
    public void commitPolygonEdit() {
        if (!amendable() || !(last.op() instanceof EditOp.Polygon p) || closedPolygon.size() < 3) {
            closedPolygon.clear();
            return;
        }
        double[] xs = closedPolygon.stream().mapToDouble(q -> q[0]).toArray();
        double[] ys = closedPolygon.stream().mapToDouble(q -> q[1]).toArray();
        if (java.util.Arrays.equals(xs, p.xs()) && java.util.Arrays.equals(ys, p.ys())) {
            return;
        }
        amend(new EditOp.Polygon(xs, ys, p.label()), 0, 0);
    }

    /** Stops offering the closed polygon for editing (Enter, Escape, another tool). */
    public void finishPolygonEdit() {
        if (last != null && last.op() instanceof EditOp.Polygon) {
            last = null;
        }
        closedPolygon.clear();
    }

    /**
     * Smart select: grows a region from (x, y) by the image and the model's scores and gives it the active
     * class (locked classes keep their pixels). Changing the tolerance right after selects again from the same
     * click, in place of this step.
     */
    public void smartSelect(int x, int y) {
        if (edits == null || x < 0 || y < 0 || x >= edits.width() || y >= edits.height()) {
            return;
        }
        SmartSelect.Selection s = selector.select(x, y, tolerance.get());
        if (s == null) {
            return;
        }
        EditOp op = new EditOp.Pixels(s.box(), s.inside(), activeRow.get(), "Smart select");
        long before = edits.editor().version();
        applyPainting(op);
        remember(op, x, y, edits.editor().version() != before);
    }

    private void reselect() {
        if (!amendable() || !(last.op() instanceof EditOp.Pixels p)) {
            return;
        }
        SmartSelect.Selection s = selector.select(last.x(), last.y(), tolerance.get());
        if (s != null) {
            amend(new EditOp.Pixels(s.box(), s.inside(), p.label(), p.name()), last.x(), last.y());
        }
    }

    /** The smart select's tolerance, 1 (only the clicked colour) to 100. */
    public IntegerProperty toleranceProperty() {
        return tolerance;
    }

    public void cancelPolygon() {
        polygon.clear();
    }

    /** Relabels the connected region under (x, y): to the active class, or to void with the void tool. */
    public void fill(int x, int y) {
        if (edits == null || x < 0 || y < 0 || x >= edits.width() || y >= edits.height()) {
            return;
        }
        applyPainting(new EditOp.Fill(x, y, tool.get() == Tool.VOID_FILL ? LabelMask.VOID : activeRow.get()));
    }

    /** A polygon or fill: locked classes keep their pixels. */
    private void applyPainting(EditOp op) {
        endStroke();
        edits.editor().lock(lockedRows.get());
        try {
            apply(op);
        } finally {
            edits.editor().lock(new boolean[0]);
        }
    }

    /** Applies a whole operation (a polygon, a fill, an import) as one undoable step. */
    public void apply(EditOp op) {
        if (edits == null) {
            return;
        }
        endStroke();
        changed(edits.apply(op));
    }

    public void applyPrediction() {
        if (edits != null && edits.pendingPrediction() != null) {
            endStroke();
            changed(edits.applyPrediction());
        }
    }

    /** Undoes the newest step; a class-table change goes back with it before anything is saved. */
    public void undo() {
        if (edits != null) {
            endStroke();
            Object tag = edits.editor().undoTag();
            if (edits.editor().canUndo()) {
                Region r = edits.undo();
                if (tag != null) {
                    onUndoTag.accept(tag, true);
                }
                changed(r);
            }
        }
    }

    public void redo() {
        if (edits != null && edits.editor().canRedo()) {
            endStroke();
            Object tag = edits.editor().redoTag();
            Region r = edits.redo();
            if (tag != null) {
                onUndoTag.accept(tag, false);
            }
            changed(r);
        }
    }

    /** The mask (or the prediction state) changed from outside a tool: a base or prediction arrived. */
    public void refresh() {
        if (!amendable()) {
            last = null;
        }
        if (last != null && last.op() instanceof EditOp.Polygon p) {
            if (closedPolygon.isEmpty()) {
                for (int i = 0; i < p.xs().length; i++) {
                    closedPolygon.add(new double[] {p.xs()[i], p.ys()[i]});
                }
            }
        } else if (!closedPolygon.isEmpty()) {
            closedPolygon.clear();
        }
        edited.set(edits != null && edits.isEdited());
        predictionPending.set(edits != null && edits.pendingPrediction() != null);
        updateUndo();
    }

    /** The labels in {@code r} changed by a step made outside the tools (a class-table change): repaint, save. */
    public void changed(Region r) {
        damage.add(r);
        afterEdit();
    }

    private void afterEdit() {
        refresh();
        if (edits != null && edits.needsSave()) {
            onEdited.accept(edits);
        }
    }

    private void updateUndo() {
        MaskEditor e = edits == null ? null : edits.editor();
        canUndo.set(e != null && e.canUndo());
        canRedo.set(e != null && e.canRedo());
        undoText.set(canUndo.get() ? "Undo " + e.undoName() : "Undo");
        redoText.set(canRedo.get() ? "Redo " + e.redoName() : "Redo");
    }

    // The viewer's repaint protocol

    /** The region changed since the last call (null = everything), and resets it. */
    public Region takeDirty() {
        return damage.take();
    }

    /** Everything is to be redrawn. */
    public void repaintAll() {
        damage.all();
    }

    public boolean hasMask() {
        return edits != null;
    }

    /** The mask on screen as an immutable copy, or null. */
    public LabelMask mask() {
        return edits == null ? null : edits.editor().snapshot();
    }

    /** Reads the current labels at a grid of positions ({@link MaskEditor#sample}); the mask must exist. */
    public void sampleMask(int[] xs, int[] ys, byte[] dst) {
        edits.editor().sample(xs, ys, dst);
    }

    /** The size of the mask on screen as {width, height}, or null without one. */
    public int[] maskSize() {
        return edits == null ? null : new int[] {edits.width(), edits.height()};
    }

    /** The label at (x, y) of the mask on screen, or -1 without one. */
    public int labelAt(int x, int y) {
        return edits == null || x < 0 || y < 0 || x >= edits.width() || y >= edits.height() ? -1
                : edits.editor().get(x, y);
    }

    // Properties

    public ObjectProperty<Tool> toolProperty() {
        return tool;
    }

    public IntegerProperty brushRadiusProperty() {
        return brushRadius;
    }

    public IntegerProperty activeRowProperty() {
        return activeRow;
    }

    public ObservableList<double[]> polygon() {
        return polygon;
    }

    /** Increments whenever mask labels change ({@link #takeDirty} says where). */
    public ReadOnlyLongProperty maskRevisionProperty() {
        return damage.revisionProperty();
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
}

package org.seglight.annotation;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.seglight.mask.LabelMask;
import org.seglight.mask.PolygonFill;
import org.seglight.mask.Region;

/**
 * The mutable working copy of a mask under correction, with undo and redo limited only by a memory budget.
 *
 * <p>Each undo step keeps just the old and new bytes of the bounding box it changed, so a brush stroke on a
 * 4000x3000 mask costs kilobytes rather than the 12 MB of a whole copy; when the history outgrows the budget the
 * oldest steps are dropped, and a single step larger than the whole budget cannot be undone. Every operation
 * returns the {@link Region} it changed so a view redraws only that; an edit that changes nothing returns
 * {@link Region#EMPTY} and records no step.
 *
 * <p>Not thread-safe: an editor is confined to one thread (the UI thread). {@link #snapshot()} is the immutable
 * copy that may cross threads, e.g. to an autosave or an export; {@link #version()} tells when one is due.
 */
public final class MaskEditor {

    /** Bookkeeping charged to each step on top of its two byte arrays. */
    private static final long STEP_OVERHEAD_BYTES = 96;

    private final int width;
    private final int height;
    private final byte[] labels;
    private final long budget;
    /** Newest first. */
    private final Deque<Step> undo = new ArrayDeque<>();
    /** Next to redo first. */
    private final Deque<Step> redo = new ArrayDeque<>();
    private long historyBytes;
    private long version;
    private Stroke openStroke;

    /**
     * @param initial the mask to start from
     * @param memoryBudgetBytes the most memory the undo and redo history may hold
     */
    public MaskEditor(LabelMask initial, long memoryBudgetBytes) {
        if (memoryBudgetBytes < 0) {
            throw new IllegalArgumentException("The undo memory budget must not be negative, got "
                    + memoryBudgetBytes);
        }
        this.width = initial.width();
        this.height = initial.height();
        this.labels = initial.toBytes();
        this.budget = memoryBudgetBytes;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The label at (x, y), 0..255. */
    public int get(int x, int y) {
        Objects.checkIndex(x, width);
        Objects.checkIndex(y, height);
        return labels[y * width + x] & 0xff;
    }

    /** An immutable copy of the current mask, safe to hand to another thread. */
    public LabelMask snapshot() {
        return new LabelMask(width, height, labels);
    }

    /**
     * Protects pixels of these labels from the brush, eraser, polygon and fill (a class locked against
     * overpainting); {@code lockedLabels[k]} for label k, missing entries unlocked. Undo, redo and replacing
     * the whole mask are not affected.
     */
    public void lock(boolean[] lockedLabels) {
        Arrays.fill(locked, false);
        for (int k = 0; k < Math.min(lockedLabels.length, LabelMask.VOID); k++) {
            locked[k] = lockedLabels[k];
        }
    }

    private final boolean[] locked = new boolean[256];

    /** A number that changes whenever a pixel does (edits, undo, redo), so a caller can tell when to autosave. */
    public long version() {
        return version;
    }

    /** Copies the labels of a region, row by row, into {@code dst} (at least {@code region.area()} long). */
    public void copyRegion(Region region, byte[] dst) {
        if (!region.equals(region.clip(width, height))) {
            throw new IllegalArgumentException(region + " is not inside the " + width + "x" + height + " mask");
        }
        if (dst.length < region.area()) {
            throw new IllegalArgumentException("A " + region.width() + "x" + region.height() + " region needs "
                    + region.area() + " bytes, the buffer has " + dst.length);
        }
        for (int row = 0; row < region.height(); row++) {
            System.arraycopy(labels, (region.y() + row) * width + region.x(), dst, row * region.width(),
                    region.width());
        }
    }

    /**
     * Reads the labels at a grid of positions, as a viewer does to draw the mask at a reduced size without
     * copying it: {@code dst[j * xs.length + i]} is the label at ({@code xs[i]}, {@code ys[j]}).
     */
    public void sample(int[] xs, int[] ys, byte[] dst) {
        if (dst.length < (long) xs.length * ys.length) {
            throw new IllegalArgumentException(xs.length + "x" + ys.length + " samples need "
                    + (long) xs.length * ys.length + " bytes, the buffer has " + dst.length);
        }
        for (int x : xs) {
            Objects.checkIndex(x, width);
        }
        int i = 0;
        for (int y : ys) {
            int row = Objects.checkIndex(y, height) * width;
            for (int x : xs) {
                dst[i++] = labels[row + x];
            }
        }
    }

    /**
     * Starts a brush or eraser stroke, which becomes one undo step when {@linkplain Stroke#finish() finished}.
     * A stroke still open when another operation (or undo) comes is finished first.
     *
     * @param name the step's name in menus, e.g. {@code Brush}
     * @param label the label painted: a class index, or {@link LabelMask#VOID} to erase
     * @param radius the brush radius in pixels; 0 paints one pixel wide, r paints 2r+1 wide
     */
    public Stroke beginStroke(String name, int label, int radius) {
        checkLabel(label);
        if (radius < 0) {
            throw new IllegalArgumentException("The brush radius must not be negative, got " + radius);
        }
        finishOpenStroke();
        openStroke = new Stroke(Objects.requireNonNull(name, "name"), label, radius);
        return openStroke;
    }

    /** Fills a polygon as a step named {@code Polygon}; see {@link #polygon(double[], double[], int, String)}. */
    public Region polygon(double[] xs, double[] ys, int label) {
        return polygon(xs, ys, label, "Polygon");
    }

    /**
     * Sets every pixel whose centre lies inside the polygon (even-odd rule) to {@code label}; the parts outside
     * the mask are ignored. Coordinates are in pixels, pixel (x, y) covering [x, x+1) x [y, y+1).
     */
    public Region polygon(double[] xs, double[] ys, int label, String name) {
        checkLabel(label);
        Objects.requireNonNull(name, "name");
        PolygonFill.check(xs, ys);
        finishOpenStroke();
        Region candidate = PolygonFill.bounds(xs, ys, width, height);
        if (candidate.isEmpty()) {
            return Region.EMPTY;
        }
        byte[] before = copyOut(candidate);
        PolygonFill.fill(labels, width, candidate, xs, ys, label);
        for (int r = 0; r < candidate.height(); r++) { // a locked class's pixels keep their label
            int row = (candidate.y() + r) * width + candidate.x();
            for (int c = 0; c < candidate.width(); c++) {
                byte old = before[r * candidate.width() + c];
                if (locked[old & 0xff]) {
                    labels[row + c] = old;
                }
            }
        }
        return commit(name, candidate, before);
    }

    /**
     * Gives the pixels of a selection (a smart select) the label {@code label} as one step: pixel (x, y) of
     * {@code box} is painted when {@code inside[(y - box.y()) * box.width() + (x - box.x())] != 0}. The parts
     * outside the mask are ignored, and a locked class's pixels keep their label.
     */
    public Region paint(Region box, byte[] inside, int label, String name) {
        checkLabel(label);
        Objects.requireNonNull(name, "name");
        if (inside.length != box.area()) {
            throw new IllegalArgumentException("A " + box.width() + "x" + box.height() + " selection needs "
                    + box.area() + " bytes, got " + inside.length);
        }
        finishOpenStroke();
        Region candidate = box.clip(width, height);
        if (candidate.isEmpty()) {
            return Region.EMPTY;
        }
        byte[] before = copyOut(candidate);
        byte fill = (byte) label;
        for (int r = 0; r < candidate.height(); r++) {
            int row = (candidate.y() + r) * width + candidate.x();
            int src = (candidate.y() + r - box.y()) * box.width() + candidate.x() - box.x();
            for (int c = 0; c < candidate.width(); c++) {
                if (inside[src + c] != 0 && !locked[labels[row + c] & 0xff]) {
                    labels[row + c] = fill;
                }
            }
        }
        return commit(name, candidate, before);
    }

    /** Flood-fills, recorded as a step named {@code Fill}; see {@link #floodFill(int, int, int, String)}. */
    public Region floodFill(int x, int y, int label) {
        return floodFill(x, y, label, "Fill");
    }

    /**
     * Gives the 4-connected area of pixels that share the label of (x, y) the label {@code label}: relabelling a
     * region with a class index, or setting it to void with {@link LabelMask#VOID}. A point outside the mask
     * changes nothing.
     */
    public Region floodFill(int x, int y, int label, String name) {
        checkLabel(label);
        Objects.requireNonNull(name, "name");
        finishOpenStroke();
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return Region.EMPTY;
        }
        byte target = labels[y * width + x];
        byte fill = (byte) label;
        if (target == fill || locked[target & 0xff]) { // a locked class's region is not relabelled
            return Region.EMPTY;
        }
        IntList stack = new IntList();
        IntList spans = new IntList();
        stack.add(y * width + x);
        int minX = width;
        int minY = height;
        int maxX = -1;
        int maxY = -1;
        while (stack.size() > 0) {
            int i = stack.pop();
            if (labels[i] != target) {
                continue;
            }
            int py = i / width;
            int row = py * width;
            int lx = i - row;
            int rx = lx;
            while (lx > 0 && labels[row + lx - 1] == target) {
                lx--;
            }
            while (rx < width - 1 && labels[row + rx + 1] == target) {
                rx++;
            }
            Arrays.fill(labels, row + lx, row + rx + 1, fill);
            spans.add(py);
            spans.add(lx);
            spans.add(rx);
            minX = Math.min(minX, lx);
            maxX = Math.max(maxX, rx);
            minY = Math.min(minY, py);
            maxY = Math.max(maxY, py);
            for (int ny = py - 1; ny <= py + 1; ny += 2) {
                if (ny < 0 || ny >= height) {
                    continue;
                }
                int nrow = ny * width;
                for (int nx = lx; nx <= rx; nx++) {
                    if (labels[nrow + nx] == target && (nx == lx || labels[nrow + nx - 1] != target)) {
                        stack.add(nrow + nx);
                    }
                }
            }
        }
        Region changed = Region.spanning(minX, minY, maxX, maxY);
        byte[] after = copyOut(changed);
        byte[] before = after.clone();
        for (int s = 0; s < spans.size(); s += 3) {
            int start = (spans.get(s) - changed.y()) * changed.width() - changed.x();
            Arrays.fill(before, start + spans.get(s + 1), start + spans.get(s + 2) + 1, target);
        }
        record(new Step(name, changed, before, after, null));
        version++;
        return changed;
    }

    /**
     * Replaces the whole mask, e.g. with a new prediction or an imported mask, as one undoable step.
     *
     * @throws IllegalArgumentException when the mask's size differs from the one being edited
     */
    public Region replace(LabelMask mask, String name) {
        Objects.requireNonNull(name, "name");
        if (mask.width() != width || mask.height() != height) {
            throw new IllegalArgumentException("The new mask is " + mask.width() + "x" + mask.height()
                    + " pixels but the mask being edited is " + width + "x" + height);
        }
        finishOpenStroke();
        byte[] before = labels.clone();
        System.arraycopy(mask.toBytes(), 0, labels, 0, labels.length);
        return commit(name, Region.of(0, 0, width, height), before);
    }

    /**
     * As {@link #replace(LabelMask, String)}, but always one undoable step, even when no label changes, carrying
     * a tag the owner reads back with {@link #undoTag()} / {@link #redoTag()}: a change of the class table is
     * undone together with the relabelling it caused.
     */
    public Region replace(LabelMask mask, String name, Object tag) {
        Objects.requireNonNull(tag, "tag");
        long before = version;
        Region r = replace(mask, name);
        Step top = undo.peek();
        if (version != before && top != null && top.tag() == null && top.region().equals(r)) {
            undo.pop();
            undo.push(new Step(top.name(), top.region(), top.before(), top.after(), tag));
        } else { // nothing changed, or the step outgrew the budget: a marker keeps the tag undoable
            record(new Step(name, Region.EMPTY, new byte[0], new byte[0], tag));
            version++;
        }
        return r;
    }

    /**
     * Relabels the mask and its whole undo and redo history with a lookup table (old label → new label), as
     * when the class table changed while this image was not on screen: undo then goes back through the same
     * edits, in the new table's labels. No step is recorded; tags are dropped, since the table they name is gone.
     */
    public void relabelAll(int[] lut) {
        if (lut.length != 256) {
            throw new IllegalArgumentException("A label lookup table has 256 entries, got " + lut.length);
        }
        finishOpenStroke();
        byte[] map = new byte[256];
        for (int v = 0; v < 256; v++) {
            map[v] = (byte) lut[v];
        }
        relabel(labels, map);
        for (Deque<Step> history : List.of(undo, redo)) {
            Deque<Step> copy = new ArrayDeque<>();
            for (Step st : history) {
                relabel(st.before(), map);
                relabel(st.after(), map);
                copy.addLast(new Step(st.name(), st.region(), st.before(), st.after(), null));
            }
            history.clear();
            history.addAll(copy);
        }
        version++;
    }

    private static void relabel(byte[] bytes, byte[] map) {
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = map[bytes[i] & 0xff];
        }
    }

    /** The tag of the step {@link #undo()} would revert, or null. */
    public Object undoTag() {
        return openStroke != null && !openStroke.changed.isEmpty() || undo.isEmpty() ? null : undo.peek().tag();
    }

    /** The tag of the step {@link #redo()} would re-apply, or null. */
    public Object redoTag() {
        return redo.isEmpty() ? null : redo.peek().tag();
    }

    public boolean canUndo() {
        return !undo.isEmpty() || openStroke != null && !openStroke.changed.isEmpty();
    }

    public boolean canRedo() {
        return !redo.isEmpty();
    }

    /** The name of the step {@link #undo()} would revert, for a menu like "Undo Brush"; empty when none. */
    public String undoName() {
        if (openStroke != null && !openStroke.changed.isEmpty()) {
            return openStroke.name;
        }
        return undo.isEmpty() ? "" : undo.peek().name();
    }

    /** The name of the step {@link #redo()} would re-apply; empty when none. */
    public String redoName() {
        return redo.isEmpty() ? "" : redo.peek().name();
    }

    /** Reverts the newest step (finishing an open stroke first); returns what changed. */
    public Region undo() {
        finishOpenStroke();
        Step step = undo.poll();
        if (step == null) {
            return Region.EMPTY;
        }
        copyIn(step.region(), step.before());
        redo.push(step);
        version++;
        return step.region();
    }

    /** Re-applies the step last undone; returns what changed. */
    public Region redo() {
        finishOpenStroke();
        Step step = redo.poll();
        if (step == null) {
            return Region.EMPTY;
        }
        copyIn(step.region(), step.after());
        undo.push(step);
        version++;
        return step.region();
    }

    /** The memory the undo and redo history holds, in bytes (an estimate including bookkeeping). */
    public long memoryBytes() {
        return historyBytes;
    }

    /** The number of steps that can be undone. */
    public int undoDepth() {
        return undo.size();
    }

    /** The number of steps that can be redone. */
    public int redoDepth() {
        return redo.size();
    }

    /**
     * One brush or eraser stroke in progress: segments painted with a round brush, undone as a whole.
     *
     * <p>Each pixel whose centre lies within radius + ½ of the segment between the centres of the pixels under
     * the two points is painted, so a stroke is as wide as 2·radius+1 pixels and has round ends.
     */
    public final class Stroke {

        private final String name;
        private final int label;
        private final int radius;
        private final IntList changedIndices = new IntList();
        private byte[] oldValues = new byte[64];
        private Region changed = Region.EMPTY;
        private boolean started;
        private boolean finished;
        private double lastX;
        private double lastY;

        private Stroke(String name, int label, int radius) {
            this.name = name;
            this.label = label;
            this.radius = radius;
        }

        /**
         * Paints from the previous point to (x, y) in pixel coordinates (the first call paints a dot); returns
         * the pixels that changed.
         *
         * @throws IllegalStateException when the stroke was finished
         */
        public Region lineTo(double x, double y) {
            if (finished) {
                throw new IllegalStateException("This " + name + " stroke is finished; begin a new one");
            }
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                throw new IllegalArgumentException("A stroke point must be finite, got (" + x + ", " + y + ")");
            }
            double bx = Math.floor(x);
            double by = Math.floor(y);
            double ax = started ? lastX : bx;
            double ay = started ? lastY : by;
            started = true;
            lastX = bx;
            lastY = by;
            Region painted = paintSegment(ax, ay, bx, by);
            if (!painted.isEmpty()) {
                changed = changed.union(painted);
                version++;
            }
            return painted;
        }

        /** Records the stroke as one undo step (nothing when it changed nothing); returns what it changed. */
        public Region finish() {
            if (finished) {
                return Region.EMPTY;
            }
            finished = true;
            if (openStroke == this) {
                openStroke = null;
            }
            if (changed.isEmpty()) {
                return Region.EMPTY;
            }
            byte[] after = copyOut(changed);
            byte[] before = after.clone();
            for (int k = 0; k < changedIndices.size(); k++) {
                int i = changedIndices.get(k);
                before[(i / width - changed.y()) * changed.width() + i % width - changed.x()] = oldValues[k];
            }
            record(new Step(name, changed, before, after, null));
            return changed;
        }

        private Region paintSegment(double ax, double ay, double bx, double by) {
            double reach = radius + 0.5;
            double reach2 = reach * reach + 1e-9;
            Region box = clippedSpan(Math.ceil(Math.min(ax, bx) - reach), Math.ceil(Math.min(ay, by) - reach),
                    Math.floor(Math.max(ax, bx) + reach), Math.floor(Math.max(ay, by) + reach));
            double dx = bx - ax;
            double dy = by - ay;
            double len2 = dx * dx + dy * dy;
            byte value = (byte) label;
            int minX = width;
            int minY = height;
            int maxX = -1;
            int maxY = -1;
            for (int py = box.y(); py < box.endY(); py++) {
                for (int px = box.x(); px < box.endX(); px++) {
                    double t = len2 == 0 ? 0 : Math.clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0.0, 1.0);
                    double ex = ax + t * dx - px;
                    double ey = ay + t * dy - py;
                    int i = py * width + px;
                    if (ex * ex + ey * ey <= reach2 && labels[i] != value && !locked[labels[i] & 0xff]) {
                        remember(i, labels[i]);
                        labels[i] = value;
                        minX = Math.min(minX, px);
                        maxX = Math.max(maxX, px);
                        minY = Math.min(minY, py);
                        maxY = Math.max(maxY, py);
                    }
                }
            }
            return Region.spanning(minX, minY, maxX, maxY);
        }

        private void remember(int index, byte old) {
            int k = changedIndices.size();
            changedIndices.add(index);
            if (k == oldValues.length) {
                oldValues = Arrays.copyOf(oldValues, k * 2);
            }
            oldValues[k] = old;
        }
    }

    private void finishOpenStroke() {
        if (openStroke != null) {
            openStroke.finish();
        }
    }

    /** Records the change from {@code before} (the candidate's old bytes) to now, cropped to what differs. */
    private Region commit(String name, Region candidate, byte[] before) {
        int minX = width;
        int minY = height;
        int maxX = -1;
        int maxY = -1;
        for (int row = 0; row < candidate.height(); row++) {
            int y = candidate.y() + row;
            for (int col = 0; col < candidate.width(); col++) {
                if (before[row * candidate.width() + col] != labels[y * width + candidate.x() + col]) {
                    int x = candidate.x() + col;
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        Region changed = Region.spanning(minX, minY, maxX, maxY);
        if (changed.isEmpty()) {
            return Region.EMPTY;
        }
        byte[] old = new byte[(int) changed.area()];
        for (int row = 0; row < changed.height(); row++) {
            System.arraycopy(before, (changed.y() - candidate.y() + row) * candidate.width() + changed.x()
                    - candidate.x(), old, row * changed.width(), changed.width());
        }
        record(new Step(name, changed, old, copyOut(changed), null));
        version++;
        return changed;
    }

    /** Adds a step whose pixels are already applied; clears redo and drops the oldest steps over budget. */
    private void record(Step step) {
        for (Step s : redo) {
            historyBytes -= s.bytes();
        }
        redo.clear();
        undo.push(step);
        historyBytes += step.bytes();
        while (historyBytes > budget && !undo.isEmpty()) {
            historyBytes -= undo.removeLast().bytes();
        }
    }

    private byte[] copyOut(Region r) {
        byte[] out = new byte[(int) r.area()];
        copyRegion(r, out);
        return out;
    }

    private void copyIn(Region r, byte[] src) {
        for (int row = 0; row < r.height(); row++) {
            System.arraycopy(src, row * r.width(), labels, (r.y() + row) * width + r.x(), r.width());
        }
    }

    /** The pixels from (minX, minY) to (maxX, maxY) inclusive that lie inside the mask. */
    private Region clippedSpan(double minX, double minY, double maxX, double maxY) {
        return Region.spanning((int) Math.max(minX, 0), (int) Math.max(minY, 0), (int) Math.min(maxX, width - 1),
                (int) Math.min(maxY, height - 1));
    }

    private static void checkLabel(int label) {
        if (label < 0 || label > 255) {
            throw new IllegalArgumentException("A label must be 0..255, got " + label);
        }
    }

    /** One undoable change: the region's bytes before and after. */
    private record Step(String name, Region region, byte[] before, byte[] after, Object tag) {
        long bytes() {
            return before.length + after.length + STEP_OVERHEAD_BYTES;
        }
    }

    /** A growable int array, for the fill's stack and spans and a stroke's changed pixels. */
    private static final class IntList {
        private int[] values = new int[64];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int get(int i) {
            return values[i];
        }

        int pop() {
            return values[--size];
        }

        int size() {
            return size;
        }
    }
}

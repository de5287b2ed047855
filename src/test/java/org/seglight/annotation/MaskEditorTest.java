package org.seglight.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.seglight.mask.LabelMask;
import org.seglight.mask.Region;

class MaskEditorTest {

    private static final long BUDGET = 64L << 20;

    private static LabelMask pattern(int w, int h) {
        byte[] labels = new byte[w * h];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % 7 == 6 ? LabelMask.VOID : i % 3);
        }
        return new LabelMask(w, h, labels);
    }

    private static LabelMask filled(int w, int h, int label) {
        byte[] labels = new byte[w * h];
        Arrays.fill(labels, (byte) label);
        return new LabelMask(w, h, labels);
    }

    @Test
    void brushStrokeIsOneStepThatUndoRestoresExactlyAndRedoReapplies() {
        LabelMask start = pattern(20, 15);
        MaskEditor editor = new MaskEditor(start, BUDGET);
        long v0 = editor.version();
        MaskEditor.Stroke stroke = editor.beginStroke("Brush", 7, 1);
        Region first = stroke.lineTo(2.3, 3.7);
        stroke.lineTo(12.5, 9.2);
        stroke.lineTo(15, 2);
        Region all = stroke.finish();

        assertThat(first).isEqualTo(new Region(1, 2, 3, 3));
        assertThat(all).isEqualTo(Region.spanning(1, 1, 16, 10));
        assertThat(editor.get(2, 3)).isEqualTo(7);
        assertThat(editor.get(12, 9)).isEqualTo(7);
        assertThat(editor.get(15, 2)).isEqualTo(7);
        assertThat(editor.get(0, 14)).isEqualTo(start.get(0, 14));
        assertThat(editor.undoDepth()).isEqualTo(1);
        assertThat(editor.undoName()).isEqualTo("Brush");
        assertThat(editor.version()).isGreaterThan(v0);
        LabelMask painted = editor.snapshot();

        long v1 = editor.version();
        assertThat(editor.undo()).isEqualTo(all);
        assertThat(editor.snapshot()).isEqualTo(start);
        assertThat(editor.version()).isGreaterThan(v1);
        assertThat(editor.canUndo()).isFalse();
        assertThat(editor.redoName()).isEqualTo("Brush");

        assertThat(editor.redo()).isEqualTo(all);
        assertThat(editor.snapshot()).isEqualTo(painted);
        assertThat(editor.canRedo()).isFalse();
        assertThatThrownBy(() -> stroke.lineTo(1, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sampleReadsTheCurrentLabelsAtAGridOfPositions() {
        LabelMask start = pattern(20, 15);
        MaskEditor editor = new MaskEditor(start, BUDGET);
        editor.floodFill(0, 0, 9);
        int[] xs = {0, 3, 19};
        int[] ys = {0, 14};
        byte[] got = new byte[6];
        editor.sample(xs, ys, got);
        for (int j = 0; j < ys.length; j++) {
            for (int i = 0; i < xs.length; i++) {
                assertThat(got[j * 3 + i] & 0xff).isEqualTo(editor.get(xs[i], ys[j]));
            }
        }
        assertThat(got[0]).isEqualTo((byte) 9);
        assertThatThrownBy(() -> editor.sample(new int[] {20}, ys, got)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> editor.sample(xs, ys, new byte[5])).hasMessageContaining("need 6 bytes");
    }

    @Test
    void brushHasTheDocumentedRoundShape() {
        MaskEditor editor = new MaskEditor(filled(20, 20, 0), BUDGET);
        MaskEditor.Stroke dot = editor.beginStroke("Brush", 1, 0);
        assertThat(dot.lineTo(3.9, 3.1)).isEqualTo(new Region(3, 3, 1, 1));
        dot.finish();
        MaskEditor.Stroke disc = editor.beginStroke("Brush", 2, 2);
        disc.lineTo(10, 10);
        disc.finish();
        MaskEditor.Stroke line = editor.beginStroke("Eraser", LabelMask.VOID, 1);
        line.lineTo(2, 15);
        line.lineTo(8, 15);
        line.finish();

        long[] histogram = editor.snapshot().histogram();
        assertThat(histogram[1]).isEqualTo(1);
        assertThat(histogram[2]).isEqualTo(21);
        assertThat(histogram[LabelMask.VOID]).isEqualTo(7 * 3 + 2 * 3);
        assertThat(editor.undoDepth()).isEqualTo(3);
        assertThat(editor.undoName()).isEqualTo("Eraser");
    }

    @Test
    void aStrokeThatChangesNothingRecordsNoStepAndAnEditClearsRedo() {
        MaskEditor editor = new MaskEditor(filled(8, 8, 3), BUDGET);
        MaskEditor.Stroke same = editor.beginStroke("Brush", 3, 2);
        assertThat(same.lineTo(4, 4)).isEqualTo(Region.EMPTY);
        assertThat(same.finish()).isEqualTo(Region.EMPTY);
        assertThat(editor.canUndo()).isFalse();
        assertThat(editor.undo()).isEqualTo(Region.EMPTY);

        editor.floodFill(0, 0, 1);
        editor.undo();
        assertThat(editor.canRedo()).isTrue();
        editor.polygon(new double[] {0, 2, 2, 0}, new double[] {0, 0, 2, 2}, 5);
        assertThat(editor.canRedo()).isFalse();
        assertThat(editor.redoName()).isEmpty();
        assertThat(editor.undoName()).isEqualTo("Polygon");
    }

    @Test
    void floodFillChangesExactlyTheFourConnectedRegion() {
        byte[] labels = new byte[10 * 8];
        for (int y = 1; y <= 3; y++) {
            for (int x = 1; x <= 3; x++) {
                labels[y * 10 + x] = 1;
            }
        }
        for (int y = 4; y <= 6; y++) {
            for (int x = 6; x <= 8; x++) {
                labels[y * 10 + x] = 1;
            }
        }
        labels[4 * 10 + 4] = 1;
        LabelMask start = new LabelMask(10, 8, labels);
        MaskEditor editor = new MaskEditor(start, BUDGET);

        assertThat(editor.floodFill(2, 2, 5, "Relabel region")).isEqualTo(new Region(1, 1, 3, 3));
        LabelMask after = editor.snapshot();
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 10; x++) {
                boolean inA = x >= 1 && x <= 3 && y >= 1 && y <= 3;
                assertThat(after.get(x, y)).as("(%d, %d)", x, y).isEqualTo(inA ? 5 : start.get(x, y));
            }
        }
        assertThat(editor.undoName()).isEqualTo("Relabel region");
        assertThat(editor.floodFill(2, 2, 5)).isEqualTo(Region.EMPTY);
        assertThat(editor.floodFill(-1, 2, 5)).isEqualTo(Region.EMPTY);
        assertThat(editor.undoDepth()).isEqualTo(1);

        assertThat(editor.floodFill(0, 0, LabelMask.VOID)).isEqualTo(new Region(0, 0, 10, 8));
        assertThat(editor.snapshot().histogram()[LabelMask.VOID]).isEqualTo(80 - 9 - 9 - 1);
        editor.undo();
        editor.undo();
        assertThat(editor.snapshot()).isEqualTo(start);
    }

    @Test
    void floodFillCopesWithALargeWindingRegion() {
        int w = 4000;
        int h = 3000;
        byte[] labels = new byte[w * h];
        for (int x = 1; x < w; x += 2) {
            int gap = (x / 2) % 2 == 0 ? h - 1 : 0;
            for (int y = 0; y < h; y++) {
                labels[y * w + x] = (byte) (y == gap ? 0 : 1);
            }
        }
        LabelMask start = new LabelMask(w, h, labels);
        long zeros = start.histogram()[0];
        MaskEditor editor = new MaskEditor(start, BUDGET);

        assertThat(editor.floodFill(0, 0, 2)).isEqualTo(new Region(0, 0, w, h));
        assertThat(editor.snapshot().histogram()[2]).isEqualTo(zeros);
        assertThat(editor.snapshot().histogram()[0]).isZero();
        editor.undo();
        assertThat(editor.snapshot()).isEqualTo(start);
    }

    @Test
    void polygonFillsPixelCentresInsideAndClipsToTheMask() {
        MaskEditor editor = new MaskEditor(filled(10, 10, 0), BUDGET);
        assertThat(editor.polygon(new double[] {2, 6, 6, 2}, new double[] {2, 2, 6, 6}, 1))
                .isEqualTo(new Region(2, 2, 4, 4));
        assertThat(editor.snapshot().histogram()[1]).isEqualTo(16);
        editor.undo();

        editor.polygon(new double[] {0, 8, 0}, new double[] {0, 0, 8}, 2);
        assertThat(editor.snapshot().histogram()[2]).isEqualTo(28);
        assertThat(editor.get(6, 0)).isEqualTo(2);
        assertThat(editor.get(0, 6)).isEqualTo(2);
        assertThat(editor.get(3, 4)).isEqualTo(0);
        editor.undo();

        assertThat(editor.polygon(new double[] {-5, 3, 3, -5}, new double[] {-5, -5, 3, 3}, 3))
                .isEqualTo(new Region(0, 0, 3, 3));
        assertThat(editor.polygon(new double[] {20, 30, 30}, new double[] {20, 20, 30}, 3)).isEqualTo(Region.EMPTY);
        assertThat(editor.snapshot().histogram()[3]).isEqualTo(9);
        assertThatThrownBy(() -> editor.polygon(new double[] {1, 2}, new double[] {1}, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void memoryBudgetDropsTheOldestSteps() {
        MaskEditor probe = new MaskEditor(filled(10, 10, 0), BUDGET);
        probe.beginStroke("Brush", 1, 0).lineTo(0, 0);
        probe.undo();
        long oneStep = probe.memoryBytes();
        assertThat(oneStep).isGreaterThanOrEqualTo(2);

        MaskEditor editor = new MaskEditor(filled(10, 10, 0), 3 * oneStep);
        for (int i = 0; i < 5; i++) {
            MaskEditor.Stroke dot = editor.beginStroke("Dot " + i, 1, 0);
            dot.lineTo(i, i);
            dot.finish();
        }
        assertThat(editor.undoDepth()).isEqualTo(3);
        assertThat(editor.memoryBytes()).isEqualTo(3 * oneStep);
        assertThat(editor.undoName()).isEqualTo("Dot 4");
        while (editor.canUndo()) {
            editor.undo();
        }
        assertThat(editor.get(0, 0)).isEqualTo(1);
        assertThat(editor.get(1, 1)).isEqualTo(1);
        assertThat(editor.get(2, 2)).isEqualTo(0);
        assertThat(editor.redoDepth()).isEqualTo(3);
    }

    @Test
    void replaceIsUndoableAndChecksTheSize() {
        LabelMask start = pattern(6, 5);
        MaskEditor editor = new MaskEditor(start, BUDGET);
        byte[] next = start.toBytes();
        next[2 * 6 + 1] = 9;
        next[3 * 6 + 4] = 9;
        assertThat(editor.replace(new LabelMask(6, 5, next), "New prediction")).isEqualTo(new Region(1, 2, 4, 2));
        assertThat(editor.snapshot()).isEqualTo(new LabelMask(6, 5, next));
        assertThat(editor.memoryBytes()).isLessThan(2L * 6 * 5 + 1000);
        assertThat(editor.replace(new LabelMask(6, 5, next), "Same")).isEqualTo(Region.EMPTY);
        assertThat(editor.undoName()).isEqualTo("New prediction");
        editor.undo();
        assertThat(editor.snapshot()).isEqualTo(start);
        assertThatThrownBy(() -> editor.replace(pattern(5, 6), "Import"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5x6").hasMessageContaining("6x5");
    }

    @Test
    void copyRegionCopiesRowsOfTheCurrentLabels() {
        LabelMask start = pattern(6, 5);
        MaskEditor editor = new MaskEditor(start, BUDGET);
        byte[] dst = new byte[6];
        editor.copyRegion(new Region(2, 1, 3, 2), dst);
        byte[] expected = {(byte) start.get(2, 1), (byte) start.get(3, 1), (byte) start.get(4, 1),
            (byte) start.get(2, 2), (byte) start.get(3, 2), (byte) start.get(4, 2)};
        assertThat(dst).containsExactly(expected);
        assertThatThrownBy(() -> editor.copyRegion(new Region(5, 0, 2, 1), dst))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLockedClassKeepsItsPixelsUnderBrushEraserPolygonAndFill() {
        // Left half class 1 (locked), right half class 2.
        byte[] labels = new byte[20 * 10];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % 20 < 10 ? 1 : 2);
        }
        LabelMask start = new LabelMask(20, 10, labels);
        MaskEditor editor = new MaskEditor(start, BUDGET);
        editor.lock(new boolean[] {false, true});
        MaskEditor.Stroke brush = editor.beginStroke("Brush", 0, 3);
        brush.lineTo(2, 5);
        brush.lineTo(18, 5);
        brush.finish();
        assertThat(editor.get(5, 5)).isEqualTo(1); // locked: unchanged
        assertThat(editor.get(15, 5)).isEqualTo(0); // painted
        MaskEditor.Stroke eraser = editor.beginStroke("Eraser", LabelMask.VOID, 2);
        eraser.lineTo(8, 2);
        eraser.lineTo(12, 2);
        eraser.finish();
        assertThat(editor.get(8, 2)).isEqualTo(1);
        assertThat(editor.get(12, 2)).isEqualTo(LabelMask.VOID);
        editor.polygon(new double[] {0, 20, 20, 0}, new double[] {8, 8, 10, 10}, 3);
        assertThat(editor.get(3, 9)).isEqualTo(1);
        assertThat(editor.get(17, 9)).isEqualTo(3);
        assertThat(editor.floodFill(1, 1, 4).isEmpty()).as("a locked region is not relabelled").isTrue();
        assertThat(editor.get(1, 1)).isEqualTo(1);
        // Unlocked again, the same brush paints it; undo goes back through everything.
        editor.lock(new boolean[0]);
        editor.floodFill(1, 1, 4);
        assertThat(editor.get(1, 1)).isEqualTo(4);
        while (editor.canUndo()) {
            editor.undo();
        }
        assertThat(editor.snapshot()).isEqualTo(start);
    }

    @Test
    void aSelectionIsPaintedAsOneStepClippedToTheMaskAndLocksHold() {
        byte[] labels = new byte[10 * 6];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % 10 < 5 ? 1 : 2);
        }
        LabelMask start = new LabelMask(10, 6, labels);
        MaskEditor editor = new MaskEditor(start, BUDGET);
        // A 4x3 selection reaching past the right edge, its middle column not selected.
        Region box = Region.of(8, 1, 4, 3);
        byte[] inside = {1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1};
        Region changed = editor.paint(box, inside, 7, "Smart select");
        assertThat(changed).isEqualTo(Region.of(8, 1, 1, 3));
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 10; x++) {
                boolean painted = x == 8 && y >= 1 && y <= 3;
                assertThat(editor.get(x, y)).as("(%d, %d)", x, y).isEqualTo(painted ? 7 : start.get(x, y));
            }
        }
        assertThat(editor.undoName()).isEqualTo("Smart select");
        editor.undo();
        assertThat(editor.snapshot()).isEqualTo(start);
        editor.lock(new boolean[] {false, true});
        byte[] all = new byte[10 * 6];
        java.util.Arrays.fill(all, (byte) 1);
        editor.paint(Region.of(0, 0, 10, 6), all, 3, "Smart select");
        assertThat(editor.get(2, 2)).as("locked").isEqualTo(1);
        assertThat(editor.get(7, 2)).isEqualTo(3);
        assertThatThrownBy(() -> editor.paint(box, new byte[3], 7, "Smart select"))
                .hasMessageContaining("needs 12 bytes");
    }
}

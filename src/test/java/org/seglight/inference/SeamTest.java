package org.seglight.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seglight.mask.LabelMask;

/**
 * Sliding windows leave no straight seams: on a smooth synthetic picture that needs 3×4 windows, no label
 * boundary runs straight along a window's edge, and the stitched S map does not step there either. Before
 * windows were blended with weights falling off towards their borders, the average jumped where a window
 * ended, and grace_hopper.bmp showed a straight edge across the jacket.
 */
class SeamTest {

    private static Segmenter segmenter;

    @BeforeAll
    static void open() throws Exception {
        segmenter = Segmenter.open(Path.of("models/default.seglight"), DevicePolicy.parse("cpu"));
    }

    @AfterAll
    static void close() {
        segmenter.close();
    }

    /** Slow waves of colour and brightness: smooth everywhere, with regions the model labels differently. */
    static BufferedImage waves(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double a = Math.sin(x / 97.0 + y / 151.0);
                double b = Math.cos(x / 173.0 - y / 89.0);
                int r = (int) (128 + 100 * a);
                int g = (int) (128 + 90 * b);
                int bl = (int) (128 + 110 * Math.sin((x + y) / 211.0));
                img.setRGB(x, y, r << 16 | g << 8 | bl);
            }
        }
        return img;
    }

    /**
     * The longest run of pixels along the horizontal line between rows y-1 and y where the label changes across
     * it: a straight seam is a long run.
     */
    static int horizontalRun(LabelMask m, int y) {
        int best = 0;
        int run = 0;
        for (int x = 0; x < m.width(); x++) {
            run = m.get(x, y) != m.get(x, y - 1) ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best;
    }

    static int verticalRun(LabelMask m, int x) {
        int best = 0;
        int run = 0;
        for (int y = 0; y < m.height(); y++) {
            run = m.get(x, y) != m.get(x - 1, y) ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best;
    }

    @Test
    void blendedWindowsLeaveNoStraightEdgeAlongAWindowBorder() {
        int w = 1100;
        int h = 800;
        SegmentationResult r = segmenter.segment(waves(w, h), segmenter.defaultPrompts());
        LabelMask m = r.mask();
        List<WindowPlan.Window> plan = WindowPlan.plan(w, h, segmenter.config().inputWidth(),
                segmenter.config().inputHeight());
        assertThat(plan).hasSizeGreaterThanOrEqualTo(6);
        assertThat(r.timings().windows()).isEqualTo(plan.size());
        int classes = (int) java.util.stream.IntStream.range(0, w * h).map(i -> m.get(i % w, i / w)).distinct().count();
        assertThat(classes).as("the picture has regions of several classes").isGreaterThanOrEqualTo(3);
        java.util.Set<Integer> rows = new java.util.TreeSet<>();
        java.util.Set<Integer> cols = new java.util.TreeSet<>();
        for (WindowPlan.Window win : plan) {
            for (int y : new int[] {win.y(), win.y() + win.height()}) {
                if (y > 0 && y < h) {
                    rows.add(y);
                }
            }
            for (int x : new int[] {win.x(), win.x() + win.width()}) {
                if (x > 0 && x < w) {
                    cols.add(x);
                }
            }
        }
        for (int y : rows) {
            assertThat(horizontalRun(m, y)).as("label edge along the window border at row " + y).isLessThan(40);
        }
        for (int x : cols) {
            assertThat(verticalRun(m, x)).as("label edge along the window border at column " + x).isLessThan(40);
        }
    }

    @Test
    void stitchedMapsCrossFadeAcrossAnOverlapInsteadOfStepping() {
        // Two windows of 10 cells, overlapping by 6: one says 0 everywhere, the other 1.
        GridStitcher g = new GridStitcher(1, 14, 1);
        g.add(new float[10], 0, 0, 10, 1);
        float[] ones = new float[10];
        java.util.Arrays.fill(ones, 1);
        g.add(ones, 4, 0, 10, 1);
        float[] v = g.result();
        assertThat(v[0]).isZero();
        assertThat(v[13]).isEqualTo(1f);
        for (int x = 5; x < 10; x++) {
            assertThat(v[x]).as("cell " + x).isGreaterThan(v[x - 1]).isLessThan(1f);
        }
        // The old average stepped from 0 to 0.5 at the overlap's start and from 0.5 to 1 at its end.
        assertThat(v[6] - v[5]).isLessThan(0.3f);
    }
}

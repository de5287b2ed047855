package org.seglight.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The smart select on drawn images: it fills a region, stops at its edges, and listens to the scores. */
class SmartSelectTest {

    /** A w x h image whose pixel colour is {@code colour(x, y)} plus ±{@code noise} per channel. */
    private static int[] image(int w, int h, int noise, java.util.function.IntBinaryOperator colour) {
        Random rnd = new Random(7);
        int[] rgb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = colour.applyAsInt(x, y);
                int r = clamp(((c >> 16) & 0xff) + rnd.nextInt(2 * noise + 1) - noise);
                int g = clamp(((c >> 8) & 0xff) + rnd.nextInt(2 * noise + 1) - noise);
                int b = clamp((c & 0xff) + rnd.nextInt(2 * noise + 1) - noise);
                rgb[y * w + x] = r << 16 | g << 8 | b;
            }
        }
        return rgb;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static SmartSelect.Pixels pixels(int[] rgb, int w) {
        return (x0, y0, ww, hh, dst) -> {
            for (int r = 0; r < hh; r++) {
                System.arraycopy(rgb, (y0 + r) * w + x0, dst, r * ww, ww);
            }
        };
    }

    private static SmartSelect.Selection select(int[] rgb, int w, int h, int x, int y, int tol,
            SmartSelect.Scores scores) {
        return SmartSelect.prepare(pixels(rgb, w), w, h, x, y).select(x, y, tol, scores);
    }

    @Test
    void growsOverANoisyRegionAndStopsAtItsEdge() {
        // A noisy grey road under a blue sky, the horizon at y = 40, and a red car (a box) on the road.
        int w = 200;
        int h = 120;
        int[] rgb = image(w, h, 6, (x, y) -> y < 40 ? 0x8cb4e6 : x >= 60 && x < 100 && y >= 70 && y < 100
                ? 0xb02020 : 0x707070);
        SmartSelect.Selection road = select(rgb, w, h, 20, 100, SmartSelect.DEFAULT_TOLERANCE, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean isRoad = y >= 40 && !(x >= 60 && x < 100 && y >= 70 && y < 100);
                assertThat(road.contains(x, y)).as("(%d, %d)", x, y).isEqualTo(isRoad);
            }
        }
        assertThat(road.count()).isEqualTo(200L * 80 - 40 * 30);
        SmartSelect.Selection car = select(rgb, w, h, 80, 85, SmartSelect.DEFAULT_TOLERANCE, null);
        assertThat(car.box()).isEqualTo(Region.of(60, 70, 40, 30));
        assertThat(car.count()).isEqualTo(40L * 30);
    }

    @Test
    void theToleranceDecidesHowFarASmoothChangeIsFollowed() {
        // A gentle left-to-right ramp from dark to light grey: a loose tolerance follows it further.
        int w = 256;
        int h = 40;
        int[] rgb = image(w, h, 0, (x, y) -> {
            int v = 40 + x * 180 / w;
            return v << 16 | v << 8 | v;
        });
        long tight = select(rgb, w, h, 5, 20, 10, null).count();
        long loose = select(rgb, w, h, 5, 20, 60, null).count();
        assertThat(tight).isLessThan(loose);
        assertThat(select(rgb, w, h, 5, 20, 100, null).count()).isEqualTo((long) w * h);
    }

    @Test
    void theNetworksScoresKeepApartTwoSurfacesOfOneColour() {
        // Road and pavement, the same grey; the model says which is which (left half road, right half pavement).
        int w = 100;
        int h = 60;
        int[] rgb = image(w, h, 4, (x, y) -> 0x6a6a6a);
        float[] p = new float[2 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float road = x < 50 ? 0.9f : 0.1f;
                p[y * w + x] = road;
                p[w * h + y * w + x] = 1 - road;
            }
        }
        SmartSelect.Scores scores = new SmartSelect.Scores(2, w, h, 1, p);
        assertThat(select(rgb, w, h, 10, 30, SmartSelect.DEFAULT_TOLERANCE, null).count())
                .as("by colour alone, one surface").isEqualTo((long) w * h);
        SmartSelect.Selection left = select(rgb, w, h, 10, 30, SmartSelect.DEFAULT_TOLERANCE, scores);
        assertThat(left.box()).isEqualTo(Region.of(0, 0, 50, 60));
        assertThat(left.count()).isEqualTo(50L * 60);
        // Scores on a coarser grid (one cell per 4 pixels) are read at the pixel's cell.
        float[] coarse = new float[2 * 25 * 15];
        for (int i = 0; i < 25 * 15; i++) {
            float road = i % 25 < 12 ? 0.95f : 0.05f;
            coarse[i] = road;
            coarse[25 * 15 + i] = 1 - road;
        }
        SmartSelect.Selection coarseLeft = select(rgb, w, h, 10, 30, SmartSelect.DEFAULT_TOLERANCE,
                new SmartSelect.Scores(2, 25, 15, 4, coarse));
        assertThat(coarseLeft.box()).isEqualTo(Region.of(0, 0, 48, 60));
    }

    @Test
    void smallHolesAreFilledAndLargeOnesKept() {
        int w = 120;
        int h = 120;
        // A green field with a 3x3 white speck and a 30x30 brown patch.
        int[] rgb = image(w, h, 0, (x, y) -> x >= 20 && x < 23 && y >= 20 && y < 23 ? 0xffffff
                : x >= 60 && x < 90 && y >= 60 && y < 90 ? 0x6b4423 : 0x3c8c3c);
        SmartSelect.Selection field = select(rgb, w, h, 5, 5, 20, null);
        assertThat(field.contains(21, 21)).as("the speck").isTrue();
        assertThat(field.contains(75, 75)).as("the patch").isFalse();
        assertThat(field.contains(50, 50)).isTrue();
    }

    @Test
    void growsAtMostItsReachFromTheClick() {
        int w = SmartSelect.REACH * 3;
        int h = 8;
        int[] rgb = new int[w * h];
        java.util.Arrays.fill(rgb, 0x505050);
        SmartSelect.Prepared prepared = SmartSelect.prepare(pixels(rgb, w), w, h, 100, 4);
        assertThat(prepared.window()).isEqualTo(Region.of(0, 0, 100 + SmartSelect.REACH + 1, 8));
        assertThat(prepared.select(100, 4, 40, null).box()).isEqualTo(prepared.window());
        assertThat(prepared.serves(200, 4, w, h)).isTrue();
        assertThat(prepared.serves(100 + SmartSelect.REACH - 10, 4, w, h)).as("near the cut edge").isFalse();
        assertThatThrownBy(() -> SmartSelect.prepare(pixels(rgb, w), w, h, w, 0))
                .hasMessageContaining("outside");
    }

    @Test
    void labColoursAreTheCieOnes() {
        float[] lab = new float[3];
        SmartSelect.toLab(0xffffff, lab, 0);
        assertThat(lab[0]).isCloseTo(100f, org.assertj.core.data.Offset.offset(0.05f));
        assertThat(Math.abs(lab[1]) + Math.abs(lab[2])).isLessThan(0.1f);
        SmartSelect.toLab(0xff0000, lab, 0); // sRGB red: L 53.24, a 80.09, b 67.20
        assertThat(lab[0]).isCloseTo(53.24f, org.assertj.core.data.Offset.offset(0.1f));
        assertThat(lab[1]).isCloseTo(80.09f, org.assertj.core.data.Offset.offset(0.2f));
        assertThat(lab[2]).isCloseTo(67.20f, org.assertj.core.data.Offset.offset(0.2f));
    }
}

package org.seglight.ui.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.seglight.mask.Region;

/** The viewer's tiles: levels, pixels at each level, the pyramid's averages, mask patches and the cache budget. */
class TilesTest {

    private static BufferedImage noise(int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        return img;
    }

    @Test
    void levelsEndInOneTileAndTheZoomPicksTheCoarsestSharpLevel() {
        TileGrid g = new TileGrid(20000, 15000);
        assertThat(g.levels()).isEqualTo(8); // 20000 / 2^7 = 157 <= 256
        assertThat(g.columns(7)).isEqualTo(1);
        assertThat(g.rows(7)).isEqualTo(1);
        assertThat(g.columns(0)).isEqualTo(79);
        assertThat(g.tileWidth(0, 78)).isEqualTo(20000 - 78 * 256);
        assertThat(g.levelFor(1)).isZero();
        assertThat(g.levelFor(4)).isZero();
        assertThat(g.levelFor(0.5)).isEqualTo(1);
        assertThat(g.levelFor(0.49)).isEqualTo(1); // a level-1 pixel is 0.98 screen px: still sharp
        assertThat(g.levelFor(0.24)).isEqualTo(2);
        assertThat(g.levelFor(0.0001)).isEqualTo(7);
        assertThat(new TileGrid(480, 360).levels()).isEqualTo(2);
        assertThat(new TileGrid(200, 100).levels()).isEqualTo(1);
    }

    @Test
    void levelZeroTilesAreTheImagesPixelsAndEveryLevelCoversTheImage() {
        BufferedImage img = noise(700, 530, 1);
        TileGrid g = new TileGrid(700, 530);
        PhotoTiles p = new PhotoTiles(img, g);
        p.buildPyramid(() -> false);
        int[] t = p.tile(0, 2, 1); // the right column, 188 wide
        assertThat(t).hasSize(188 * 256);
        for (int y = 0; y < 256; y += 37) {
            for (int x = 0; x < 188; x += 13) {
                assertThat(t[y * 188 + x]).isEqualTo(img.getRGB(512 + x, 256 + y));
            }
        }
        for (int level = 0; level < g.levels(); level++) {
            long pixels = 0;
            for (int r = 0; r < g.rows(level); r++) {
                for (int c = 0; c < g.columns(level); c++) {
                    pixels += p.tile(level, c, r).length;
                }
            }
            assertThat(pixels).as("level %d", level).isEqualTo((long) g.levelWidth(level) * g.levelHeight(level));
        }
    }

    @Test
    void coarseLevelsAverageTheirBlocksOnceThePyramidIsBuilt() {
        BufferedImage img = noise(1030, 1030, 2); // partial blocks at the right and bottom edges
        TileGrid g = new TileGrid(1030, 1030);
        PhotoTiles p = new PhotoTiles(img, g);
        assertThat(p.pyramidReady()).isFalse();
        int[] sampled = p.tile(2, 0, 0);
        assertThat(sampled[0]).isEqualTo(img.getRGB(2, 2)); // the block's centre, before the pyramid
        p.buildPyramid(() -> false);
        assertThat(p.pyramidReady()).isTrue();
        assertThat(g.levels()).isEqualTo(4);
        assertThat(p.pyramidBytes()).isEqualTo(4L * (258 * 258 + 129 * 129)); // levels 2 and 3
        for (int level = 1; level <= 3; level++) {
            int block = 1 << level;
            int[][] where = level < 3 ? new int[][] {{0, 0}, {5, 7}, {g.levelWidth(level) - 1, g.levelHeight(level) - 1}}
                    : new int[][] {{0, 0}, {5, 7}, {100, 64}}; // level 3's edge pixel weighs a partial block as whole
            for (int[] at : where) {
                int[] tile = p.tile(level, at[0] / 256, at[1] / 256);
                int tw = g.tileWidth(level, at[0] / 256);
                int got = tile[(at[1] % 256) * tw + at[0] % 256];
                int[] want = blockMean(img, at[0] * block, at[1] * block, block);
                // level 1 and 2 are exact means; level 3 averages level 2's rounded means
                for (int ch = 0; ch < 3; ch++) {
                    assertThat(got >> (16 - 8 * ch) & 0xff).as("level %d at %s", level, java.util.Arrays.toString(at))
                            .isCloseTo(want[ch], org.assertj.core.data.Offset.offset(level == 3 ? 2 : 1));
                }
            }
        }
        PhotoTiles cancelled = new PhotoTiles(img, g);
        cancelled.buildPyramid(() -> true);
        assertThat(cancelled.pyramidReady()).isFalse();
    }

    /** The mean colour of a block, clipped to the image. */
    private static int[] blockMean(BufferedImage img, int x0, int y0, int block) {
        long[] sum = new long[3];
        int n = 0;
        for (int y = y0; y < Math.min(img.getHeight(), y0 + block); y++) {
            for (int x = x0; x < Math.min(img.getWidth(), x0 + block); x++) {
                int v = img.getRGB(x, y);
                sum[0] += v >> 16 & 0xff;
                sum[1] += v >> 8 & 0xff;
                sum[2] += v & 0xff;
                n++;
            }
        }
        return new int[] {(int) Math.round(sum[0] / (double) n), (int) Math.round(sum[1] / (double) n),
                (int) Math.round(sum[2] / (double) n)};
    }

    @Test
    void aPatchAfterAnEditEqualsTheTileMadeAfresh() {
        int w = 3000;
        int h = 2000;
        byte[] labels = new byte[w * h];
        Random r = new Random(3);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) r.nextInt(5);
        }
        MaskTiles.Labels read = (xs, ys, dst) -> {
            int i = 0;
            for (int y : ys) {
                for (int x : xs) {
                    dst[i++] = labels[y * w + x];
                }
            }
        };
        int[] lut = org.seglight.render.MaskRaster.lut(new int[] {0x102030, 0x405060, 0x708090, 0xa0b0c0, 0xd0e0f0},
                new boolean[] {true, true, false, true, true});
        TileGrid g = new TileGrid(w, h);
        for (boolean outlines : new boolean[] {false, true}) {
            for (int level : new int[] {0, 1, 3}) {
                int c = 700 / (256 << level);
                int row = 500 / (256 << level);
                int[] before = MaskTiles.tile(g, read, lut, level, c, row, outlines);
                Region edit = new Region(650, 480, 90, 70);
                for (int y = edit.y(); y < edit.y() + edit.height(); y++) {
                    for (int x = edit.x(); x < edit.x() + edit.width(); x++) {
                        labels[y * w + x] = (byte) ((labels[y * w + x] + 1 + level) % 5);
                    }
                }
                MaskTiles.Patch p = MaskTiles.patch(g, read, lut, level, c, row, edit, outlines);
                assertThat(p).isNotNull();
                int tw = g.tileWidth(level, c);
                for (int y = 0; y < p.height(); y++) {
                    System.arraycopy(p.argb(), y * p.width(), before, (p.y() + y) * tw + p.x(), p.width());
                }
                assertThat(before).as("level %d, outlines %s", level, outlines)
                        .isEqualTo(MaskTiles.tile(g, read, lut, level, c, row, outlines));
                if (c + 1 < g.columns(level)) {
                    assertThat(MaskTiles.patch(g, read, lut, level, c + 1, row, edit, outlines)).isNull();
                }
            }
        }
    }

    @Test
    void outlinesShowEachClasssBorderInItsColourAndNothingInside() {
        // Class 1 a 6x4 block in class 0, at [3, 9) x [2, 6) of a 12x8 mask.
        int w = 12;
        int h = 8;
        byte[] labels = new byte[w * h];
        for (int y = 2; y < 6; y++) {
            for (int x = 3; x < 9; x++) {
                labels[y * w + x] = 1;
            }
        }
        MaskTiles.Labels read = (xs, ys, dst) -> {
            int i = 0;
            for (int y : ys) {
                for (int x : xs) {
                    dst[i++] = labels[y * w + x];
                }
            }
        };
        int[] lut = org.seglight.render.MaskRaster.lut(new int[] {0x0000ff, 0xff0000}, new boolean[] {true, true});
        int[] tile = MaskTiles.tile(new TileGrid(w, h), read, lut, 0, 0, 0, true);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean in = x >= 3 && x < 9 && y >= 2 && y < 6;
                boolean innerEdge = in && (x == 3 || x == 8 || y == 2 || y == 5);
                boolean outerEdge = !in && (x >= 3 && x < 9 && (y == 1 || y == 6) || y >= 2 && y < 6 && (x == 2
                        || x == 9));
                int expected = innerEdge ? lut[1] : outerEdge ? lut[0] : 0;
                assertThat(tile[y * w + x]).as("(%d, %d)", x, y).isEqualTo(expected);
            }
        }
    }

    @Test
    void theCacheDropsTheLeastRecentlyDrawnTilesBeyondItsBudget() {
        TileCache<Integer, int[]> cache = new TileCache<>(40, t -> 4L * t.length);
        cache.put(1, new int[4]);
        cache.put(2, new int[4]);
        cache.put(3, new int[2]);
        cache.get(1); // drawn again: the newest
        cache.put(4, new int[4]); // 16 + 16 + 8 + 16 = 56 > 40: tile 2 goes
        assertThat(cache.get(2)).isNull();
        assertThat(cache.get(1)).isNotNull();
        assertThat(cache.bytes()).isEqualTo(40);
        cache.removeIf(k -> k % 2 == 0);
        assertThat(cache.bytes()).isEqualTo(24);
        cache.budget(16); // 3 was drawn before 1
        assertThat(cache.size()).isOne();
        assertThat(cache.get(1)).isNotNull();
        assertThat(cache.bytes()).isEqualTo(16);
    }
}

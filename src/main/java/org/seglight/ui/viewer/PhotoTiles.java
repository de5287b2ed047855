package org.seglight.ui.viewer;

import java.awt.image.BufferedImage;
import java.util.function.BooleanSupplier;

/**
 * The photo layer's tiles, cut from the decoded image: level 0 is copied, level 1 averages 2x2 pixels on
 * demand, and levels 2 and up come from a pyramid of box-averaged copies (a sixteenth of the image's pixels
 * and less, built once off the FX thread), as QuPath's image servers do. Until the pyramid is built, the
 * coarse levels sample the image (sharper, but aliased): {@link #pyramidReady()} tells when to make them again.
 * Plain Java, safe to use from any thread once built.
 */
final class PhotoTiles {

    private final TileGrid grid;
    private final int width;
    private final int height;
    /** The image's pixels, 0x..RRGGBB, row-major with a stride of {@link #width}. */
    private final int[] rgb;
    /** Levels 2..: pixels per level, or null until built. */
    private volatile int[][] pyramid;

    PhotoTiles(BufferedImage image, TileGrid grid) {
        this.grid = grid;
        this.width = image.getWidth();
        this.height = image.getHeight();
        if (grid.width() != width || grid.height() != height) {
            throw new IllegalArgumentException("The grid is " + grid.width() + "x" + grid.height()
                    + ", the image " + width + "x" + height);
        }
        this.rgb = org.seglight.io.ImageLoader.packedRgb(image);
    }

    boolean pyramidReady() {
        return pyramid != null;
    }

    /**
     * Builds levels 2 and up (a no-op when built). Takes about a second per 300 megapixels.
     *
     * @param cancelled polled between rows; when it says so the pyramid is left unbuilt
     */
    void buildPyramid(BooleanSupplier cancelled) {
        if (pyramid != null) {
            return;
        }
        int levels = grid.levels();
        int[][] built = new int[Math.max(0, levels - 2)][];
        if (levels > 2) {
            int[] src = rgb;
            int sw = width;
            int sh = height;
            int factor = 4; // level 2 straight from the image: one pass over it
            for (int level = 2; level < levels; level++) {
                int[] dst = reduce(src, sw, sh, factor, cancelled);
                if (dst == null) {
                    return;
                }
                built[level - 2] = dst;
                sw = grid.levelWidth(level);
                sh = grid.levelHeight(level);
                src = dst;
                factor = 2;
            }
        }
        pyramid = built;
    }

    /** The box average of factor x factor blocks (partial blocks at the right and bottom edges average what is there). */
    private static int[] reduce(int[] src, int sw, int sh, int factor, BooleanSupplier cancelled) {
        int dw = (sw + factor - 1) / factor;
        int dh = (sh + factor - 1) / factor;
        int[] dst = new int[dw * dh];
        int shift = Integer.numberOfTrailingZeros(factor); // factor is 2 or 4
        long[] r = new long[dw];
        long[] g = new long[dw];
        long[] b = new long[dw];
        for (int y = 0; y < dh; y++) {
            if (cancelled.getAsBoolean()) {
                return null;
            }
            java.util.Arrays.fill(r, 0);
            java.util.Arrays.fill(g, 0);
            java.util.Arrays.fill(b, 0);
            int y0 = y * factor;
            int y1 = Math.min(sh, y0 + factor);
            for (int sy = y0; sy < y1; sy++) {
                int row = sy * sw;
                for (int sx = 0; sx < sw; sx++) {
                    int p = src[row + sx];
                    int x = sx >> shift;
                    r[x] += p >> 16 & 0xff;
                    g[x] += p >> 8 & 0xff;
                    b[x] += p & 0xff;
                }
            }
            int rows = y1 - y0;
            for (int x = 0; x < dw; x++) {
                int n = rows * (Math.min(sw, (x + 1) * factor) - x * factor);
                dst[y * dw + x] = (int) ((r[x] + n / 2) / n) << 16 | (int) ((g[x] + n / 2) / n) << 8
                        | (int) ((b[x] + n / 2) / n);
            }
        }
        return dst;
    }

    /** The opaque ARGB pixels of a tile, {@code tileWidth x tileHeight}, row-major. */
    int[] tile(int level, int column, int row) {
        int tw = grid.tileWidth(level, column);
        int th = grid.tileHeight(level, row);
        int size = grid.size();
        int[] out = new int[tw * th];
        int[][] p = pyramid;
        if (level == 0) {
            for (int y = 0; y < th; y++) {
                int from = (row * size + y) * width + column * size;
                for (int x = 0; x < tw; x++) {
                    out[y * tw + x] = 0xff000000 | rgb[from + x];
                }
            }
        } else if (level >= 2 && p != null) {
            int lw = grid.levelWidth(level);
            int[] src = p[level - 2];
            for (int y = 0; y < th; y++) {
                int from = (row * size + y) * lw + column * size;
                for (int x = 0; x < tw; x++) {
                    out[y * tw + x] = 0xff000000 | src[from + x];
                }
            }
        } else if (level == 1) {
            for (int y = 0; y < th; y++) {
                int y0 = (row * size + y) * 2;
                int y1 = Math.min(height - 1, y0 + 1);
                for (int x = 0; x < tw; x++) {
                    int x0 = (column * size + x) * 2;
                    int x1 = Math.min(width - 1, x0 + 1);
                    out[y * tw + x] = 0xff000000 | average4(rgb[y0 * width + x0], rgb[y0 * width + x1],
                            rgb[y1 * width + x0], rgb[y1 * width + x1]);
                }
            }
        } else { // the pyramid is being built: sample the block centres meanwhile
            int[] xs = TileGrid.samples(level, column, size, tw, width);
            int[] ys = TileGrid.samples(level, row, size, th, height);
            for (int y = 0; y < th; y++) {
                int from = ys[y] * width;
                for (int x = 0; x < tw; x++) {
                    out[y * tw + x] = 0xff000000 | rgb[from + xs[x]];
                }
            }
        }
        return out;
    }

    private static int average4(int a, int b, int c, int d) {
        int r = ((a >> 16 & 0xff) + (b >> 16 & 0xff) + (c >> 16 & 0xff) + (d >> 16 & 0xff) + 2) >> 2;
        int g = ((a >> 8 & 0xff) + (b >> 8 & 0xff) + (c >> 8 & 0xff) + (d >> 8 & 0xff) + 2) >> 2;
        int bl = ((a & 0xff) + (b & 0xff) + (c & 0xff) + (d & 0xff) + 2) >> 2;
        return r << 16 | g << 8 | bl;
    }

    /** The bytes the pyramid holds (0 before it is built). */
    long pyramidBytes() {
        int[][] p = pyramid;
        long n = 0;
        if (p != null) {
            for (int[] level : p) {
                n += 4L * level.length;
            }
        }
        return n;
    }
}

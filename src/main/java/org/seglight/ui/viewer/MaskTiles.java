package org.seglight.ui.viewer;

import org.seglight.mask.Region;
import org.seglight.render.MaskRaster;

/**
 * The mask layer's tiles, read from the mask under correction: each tile pixel shows the label at the centre
 * of the image block it stands for (nearest neighbour, as masks are drawn), coloured through a
 * {@link MaskRaster#lut}. An edit re-reads only the tile pixels whose samples it changed.
 *
 * <p>As outlines, a tile pixel is drawn only where a neighbouring sample (left, right, above, below, at the
 * same level) has another label, so each class's border shows in its colour at about one screen pixel
 * whatever the zoom, and the image shows through inside.
 */
final class MaskTiles {

    /** Reads labels at a grid of image positions: {@code dst[j * xs.length + i] = label(xs[i], ys[j])}. */
    @FunctionalInterface
    interface Labels {
        void sample(int[] xs, int[] ys, byte[] dst);
    }

    /** A rectangle of a tile's pixels and their new ARGB values. */
    record Patch(int x, int y, int width, int height, int[] argb) {}

    private MaskTiles() {}

    /** The ARGB pixels of a whole tile, filled or as outlines. */
    static int[] tile(TileGrid grid, Labels labels, int[] lut, int level, int column, int row, boolean outlines) {
        int[] xs = TileGrid.samples(level, column, grid.size(), grid.tileWidth(level, column), grid.width());
        int[] ys = TileGrid.samples(level, row, grid.size(), grid.tileHeight(level, row), grid.height());
        return outlines ? outline(labels, lut, xs, ys, 1 << level, grid.width(), grid.height())
                : render(labels, lut, xs, ys);
    }

    /**
     * The tile pixels whose samples lie in {@code changed} (image pixels), re-read; null when none do.
     */
    static Patch patch(TileGrid grid, Labels labels, int[] lut, int level, int column, int row, Region changed,
            boolean outlines) {
        if (outlines) { // a pixel's outline also depends on its neighbours' samples, one step away
            int step = 1 << level;
            changed = Region.of(changed.x() - step, changed.y() - step, changed.width() + 2 * step,
                    changed.height() + 2 * step).clip(grid.width(), grid.height());
        }
        int[] xs = TileGrid.samples(level, column, grid.size(), grid.tileWidth(level, column), grid.width());
        int[] ys = TileGrid.samples(level, row, grid.size(), grid.tileHeight(level, row), grid.height());
        int[] cx = within(xs, changed.x(), changed.x() + changed.width());
        int[] cy = within(ys, changed.y(), changed.y() + changed.height());
        if (cx == null || cy == null) {
            return null;
        }
        int[] px = java.util.Arrays.copyOfRange(xs, cx[0], cx[1]);
        int[] py = java.util.Arrays.copyOfRange(ys, cy[0], cy[1]);
        return new Patch(cx[0], cy[0], px.length, py.length, outlines
                ? outline(labels, lut, px, py, 1 << level, grid.width(), grid.height())
                : render(labels, lut, px, py));
    }

    /** The index range [from, to) of the sorted samples inside [lo, hi), or null when empty. */
    private static int[] within(int[] samples, int lo, int hi) {
        int from = 0;
        while (from < samples.length && samples[from] < lo) {
            from++;
        }
        int to = from;
        while (to < samples.length && samples[to] < hi) {
            to++;
        }
        return to > from ? new int[] {from, to} : null;
    }

    /**
     * Outlines at sample positions {@code xs} x {@code ys}, spaced {@code step} image pixels apart: a pixel keeps
     * its colour where a 4-neighbouring sample has another label, and is transparent elsewhere. The image's own
     * border is no class border.
     */
    private static int[] outline(Labels labels, int[] lut, int[] xs, int[] ys, int step, int width, int height) {
        int[] ex = around(xs, step, width);
        int[] ey = around(ys, step, height);
        int w = ex.length;
        byte[] got = new byte[w * ey.length];
        labels.sample(ex, ey, got);
        int[] out = new int[xs.length * ys.length];
        for (int j = 0; j < ys.length; j++) {
            for (int i = 0; i < xs.length; i++) {
                int c = (j + 1) * w + i + 1;
                byte l = got[c];
                boolean border = got[c - 1] != l || got[c + 1] != l || got[c - w] != l || got[c + w] != l;
                out[j * xs.length + i] = border ? lut[l & 0xff] : 0;
            }
        }
        return out;
    }

    /** The samples with one more each side, a step further (or the edge sample again at the image's edge). */
    private static int[] around(int[] samples, int step, int extent) {
        int[] e = new int[samples.length + 2];
        System.arraycopy(samples, 0, e, 1, samples.length);
        e[0] = samples[0] - step >= 0 ? samples[0] - step : samples[0];
        int last = samples[samples.length - 1];
        e[e.length - 1] = last + step < extent ? last + step : last;
        return e;
    }

    private static int[] render(Labels labels, int[] lut, int[] xs, int[] ys) {
        byte[] got = new byte[xs.length * ys.length];
        labels.sample(xs, ys, got);
        return MaskRaster.render(got, lut);
    }
}

package org.seglight.ui.viewer;

import org.seglight.mask.Region;
import org.seglight.render.MaskRaster;

/**
 * The mask layer's tiles, read from the mask under correction: each tile pixel shows the label at the centre
 * of the image block it stands for (nearest neighbour, as masks are drawn), coloured through a
 * {@link MaskRaster#lut}. An edit re-reads only the tile pixels whose samples it changed.
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

    /** The ARGB pixels of a whole tile. */
    static int[] tile(TileGrid grid, Labels labels, int[] lut, int level, int column, int row) {
        int[] xs = TileGrid.samples(level, column, grid.size(), grid.tileWidth(level, column), grid.width());
        int[] ys = TileGrid.samples(level, row, grid.size(), grid.tileHeight(level, row), grid.height());
        return render(labels, lut, xs, ys);
    }

    /**
     * The tile pixels whose samples lie in {@code changed} (image pixels), re-read; null when none do.
     */
    static Patch patch(TileGrid grid, Labels labels, int[] lut, int level, int column, int row, Region changed) {
        int[] xs = TileGrid.samples(level, column, grid.size(), grid.tileWidth(level, column), grid.width());
        int[] ys = TileGrid.samples(level, row, grid.size(), grid.tileHeight(level, row), grid.height());
        int[] cx = within(xs, changed.x(), changed.x() + changed.width());
        int[] cy = within(ys, changed.y(), changed.y() + changed.height());
        if (cx == null || cy == null) {
            return null;
        }
        int[] px = java.util.Arrays.copyOfRange(xs, cx[0], cx[1]);
        int[] py = java.util.Arrays.copyOfRange(ys, cy[0], cy[1]);
        return new Patch(cx[0], cy[0], px.length, py.length, render(labels, lut, px, py));
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

    private static int[] render(Labels labels, int[] lut, int[] xs, int[] ys) {
        byte[] got = new byte[xs.length * ys.length];
        labels.sample(xs, ys, got);
        return MaskRaster.render(got, lut);
    }
}

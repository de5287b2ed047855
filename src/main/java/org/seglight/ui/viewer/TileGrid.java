package org.seglight.ui.viewer;

/**
 * The viewer's multi-resolution tiling of one image: level {@code L} shows the image at 1/2^L of its size, cut
 * into tiles of {@link #size} pixels; the last level holds the whole image in one tile. A tile pixel at level
 * {@code L} stands for a 2^L-pixel square of the image.
 */
record TileGrid(int width, int height, int size) {

    /** Tile edge in tile pixels: 256 KB of ARGB, small enough that a screen needs only the tiles it shows. */
    static final int SIZE = 256;

    TileGrid {
        if (width < 1 || height < 1 || size < 1) {
            throw new IllegalArgumentException("A tile grid needs a positive size, got " + width + "x" + height);
        }
    }

    TileGrid(int width, int height) {
        this(width, height, SIZE);
    }

    /** The number of levels: level {@code levels() - 1} is a single tile. */
    int levels() {
        int level = 0;
        while (levelWidth(level) > size || levelHeight(level) > size) {
            level++;
        }
        return level + 1;
    }

    /** The image's width at a level, in tile pixels. */
    int levelWidth(int level) {
        return (int) ((width + (1L << level) - 1) >> level);
    }

    int levelHeight(int level) {
        return (int) ((height + (1L << level) - 1) >> level);
    }

    int columns(int level) {
        return (levelWidth(level) + size - 1) / size;
    }

    int rows(int level) {
        return (levelHeight(level) + size - 1) / size;
    }

    /** Width in tile pixels of the tiles in a column (the last column may be narrower). */
    int tileWidth(int level, int column) {
        return Math.min(size, levelWidth(level) - column * size);
    }

    int tileHeight(int level, int row) {
        return Math.min(size, levelHeight(level) - row * size);
    }

    /**
     * The level to draw at a zoom (screen pixels per image pixel): the coarsest whose pixels are still no larger
     * than a screen pixel, so the view is never blurred by magnifying a coarse level.
     */
    int levelFor(double zoom) {
        int level = zoom >= 1 ? 0 : (int) Math.floor(Math.log(1 / zoom) / Math.log(2) + 1e-9);
        return Math.max(0, Math.min(levels() - 1, level));
    }

    /**
     * The image columns (or rows) that tile pixels {@code 0..n-1} of tile {@code index} sample at a level: the
     * centre of each 2^L block, clamped to the image.
     */
    static int[] samples(int level, int index, int size, int n, int extent) {
        int scale = 1 << level;
        int[] at = new int[n];
        for (int i = 0; i < n; i++) {
            long start = ((long) index * size + i) * scale;
            at[i] = (int) Math.min(extent - 1, start + scale / 2);
        }
        return at;
    }
}

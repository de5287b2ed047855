package org.seglight.mask;

/**
 * A rectangle of mask pixels, such as the part of a mask an edit changed.
 *
 * <p>Edits report the region they changed so a view can redraw only that part; an empty region means nothing
 * changed. All empty regions are normalised to {@link #EMPTY}, so they compare equal.
 *
 * @param x left column
 * @param y top row
 * @param width columns, 0 when empty
 * @param height rows, 0 when empty
 */
public record Region(int x, int y, int width, int height) {

    /** The region with no pixels. */
    public static final Region EMPTY = new Region(0, 0, 0, 0);

    public Region {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("A region cannot have a negative size, got " + width + "x" + height);
        }
        if (width == 0 || height == 0) {
            x = 0;
            y = 0;
            width = 0;
            height = 0;
        }
    }

    /** The region at (x, y) of that size; {@link #EMPTY} when the width or height is not positive. */
    public static Region of(int x, int y, int width, int height) {
        return width <= 0 || height <= 0 ? EMPTY : new Region(x, y, width, height);
    }

    /** The region from (minX, minY) to (maxX, maxY), both corners included; empty when max is below min. */
    public static Region spanning(int minX, int minY, int maxX, int maxY) {
        return maxX < minX || maxY < minY ? EMPTY : new Region(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    public boolean isEmpty() {
        return width == 0;
    }

    /** The number of pixels. */
    public long area() {
        return (long) width * height;
    }

    /** The column after the last one. */
    public int endX() {
        return x + width;
    }

    /** The row after the last one. */
    public int endY() {
        return y + height;
    }

    public boolean contains(int px, int py) {
        return px >= x && px < x + width && py >= y && py < y + height;
    }

    /** The smallest region holding both. */
    public Region union(Region other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        return spanning(Math.min(x, other.x), Math.min(y, other.y), Math.max(endX(), other.endX()) - 1,
                Math.max(endY(), other.endY()) - 1);
    }

    /** The part of this region inside a mask of that size. */
    public Region clip(int maskWidth, int maskHeight) {
        return spanning(Math.max(x, 0), Math.max(y, 0), Math.min(endX(), maskWidth) - 1,
                Math.min(endY(), maskHeight) - 1);
    }
}

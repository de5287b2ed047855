package org.seglight.mask;

import java.util.Arrays;

/**
 * A per-pixel class index map: values 0..K-1 name a class, {@link #VOID} marks pixels to ignore.
 *
 * <p>Immutable: edits produce new masks, which keeps undo simple and lets masks cross threads freely.
 */
public final class LabelMask {

    /** The void / ignore label (mmseg's ignore index). */
    public static final int VOID = 255;

    private final int width;
    private final int height;
    private final byte[] labels;

    public LabelMask(int width, int height, byte[] labels) {
        this(width, height, labels, true);
    }

    /**
     * A mask over {@code labels} without copying them, for a producer that made the array and hands it over
     * (it must not write to it again): a 300-megapixel mask is not held twice for a moment.
     */
    public static LabelMask adopt(int width, int height, byte[] labels) {
        return new LabelMask(width, height, labels, false);
    }

    private LabelMask(int width, int height, byte[] labels, boolean copy) {
        if (width < 1 || height < 1 || labels.length != (long) width * height) {
            throw new IllegalArgumentException("A " + width + "x" + height + " mask needs " + (long) width * height
                    + " labels, got " + labels.length);
        }
        this.width = width;
        this.height = height;
        this.labels = copy ? labels.clone() : labels;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The label at (x, y), 0..255. */
    public int get(int x, int y) {
        return labels[y * width + x] & 0xff;
    }

    /** A copy of the labels, row-major, unsigned bytes. */
    public byte[] toBytes() {
        return labels.clone();
    }

    /** Pixels per label value (index 0..255). */
    public long[] histogram() {
        long[] h = new long[256];
        for (byte b : labels) {
            h[b & 0xff]++;
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMask m && m.width == width && m.height == height && Arrays.equals(m.labels, labels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "LabelMask[" + width + "x" + height + "]";
    }
}

package org.seglight.inference;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A band of image rows across the whole width where overlapping windows are blended: each window's upsampled
 * logits are added with a weight that falls off towards the window's border, and the weights summed, so the
 * average changes smoothly across every overlap instead of stepping where a window ends. The band holds as
 * many rows as a window plus one reduction block; rows that no later window reaches are finished (reduced to
 * labels) and shifted out, so memory follows the image's width, not its area.
 *
 * <p>Values (K, capacity, width) and weights (capacity, width) live off the heap in one arena, freed by
 * {@link #close}, so a huge image's band does not wait for the garbage collector; engines read them in place.
 */
final class Band implements AutoCloseable {

    private final Arena arena = Arena.ofShared();
    private final MemorySegment values;
    private final MemorySegment weights;
    private final int k;
    private final int capacity;
    private final int width;

    Band(int k, int capacity, int width) {
        this.k = k;
        this.capacity = capacity;
        this.width = width;
        this.values = arena.allocate((long) k * capacity * width * Float.BYTES, 64);
        this.weights = arena.allocate((long) capacity * width * Float.BYTES, 64);
    }

    int classes() {
        return k;
    }

    int capacity() {
        return capacity;
    }

    int width() {
        return width;
    }

    /** The values (K, capacity, width) as a direct buffer in native order. */
    FloatBuffer values() {
        return values.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** The summed weights (capacity, width). */
    FloatBuffer weights() {
        return weights.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * Adds a window's upsampled logits (K, h, w) at column x, band row y, each pixel weighted by wx[i]·wy[r].
     */
    void add(FloatBuffer up, int x, int y, int w, int h, float[] wx, float[] wy) {
        add(up, x, y, w, h, wx, wy, false);
    }

    /**
     * As {@link #add(FloatBuffer, int, int, int, int, float[], float[])}; with {@code mirrored}, the window's
     * logits are of the mirrored window (flip test-time augmentation) and each row is read back to front.
     */
    void add(FloatBuffer up, int x, int y, int w, int h, float[] wx, float[] wy, boolean mirrored) {
        if (y < 0 || y + h > capacity || x < 0 || x + w > width) {
            throw new IllegalArgumentException("window " + w + "x" + h + " at " + x + "," + y
                    + " is outside the band of " + width + "x" + capacity);
        }
        float[] row = new float[w];
        float[] acc = new float[w];
        float[] rw = new float[w];
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < h; r++) {
                float ry = wy[r];
                for (int i = 0; i < w; i++) {
                    rw[i] = wx[i] * ry;
                }
                up.get((c * h + r) * w, row);
                if (mirrored) {
                    for (int i = 0, j = w - 1; i < j; i++, j--) {
                        float t = row[i];
                        row[i] = row[j];
                        row[j] = t;
                    }
                }
                long d = ((long) (c * capacity + y + r) * width + x) * Float.BYTES;
                MemorySegment.copy(values, ValueLayout.JAVA_FLOAT, d, acc, 0, w);
                for (int i = 0; i < w; i++) {
                    acc[i] += row[i] * rw[i];
                }
                MemorySegment.copy(acc, 0, values, ValueLayout.JAVA_FLOAT, d, w);
            }
        }
        for (int r = 0; r < h; r++) {
            float ry = wy[r];
            long d = ((long) (y + r) * width + x) * Float.BYTES;
            MemorySegment.copy(weights, ValueLayout.JAVA_FLOAT, d, acc, 0, w);
            for (int i = 0; i < w; i++) {
                acc[i] += wx[i] * ry;
            }
            MemorySegment.copy(acc, 0, weights, ValueLayout.JAVA_FLOAT, d, w);
        }
    }

    /** Drops the first {@code rows} rows: the rest move to the top and the freed rows are zeroed. */
    void shift(int rows) {
        long rowBytes = (long) width * Float.BYTES;
        long keep = (capacity - rows) * rowBytes;
        for (int c = 0; c < k; c++) {
            long plane = (long) c * capacity * rowBytes;
            MemorySegment.copy(values, plane + rows * rowBytes, values, plane, keep);
            values.asSlice(plane + keep, rows * rowBytes).fill((byte) 0);
        }
        MemorySegment.copy(weights, rows * rowBytes, weights, 0, keep);
        weights.asSlice(keep, rows * rowBytes).fill((byte) 0);
    }

    /**
     * Blend weights along one side of a window of n pixels: a tent, highest in the middle and falling towards
     * both ends, never zero, so every covered pixel has weight and neighbouring windows cross-fade.
     */
    static float[] tent(int n) {
        float[] w = new float[n];
        float half = (n + 1) / 2f;
        for (int i = 0; i < n; i++) {
            w[i] = Math.min(i + 1, n - i) / half;
        }
        return w;
    }

    @Override
    public void close() {
        arena.close();
    }
}

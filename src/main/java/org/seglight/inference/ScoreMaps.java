package org.seglight.inference;

/**
 * K per-class maps on a grid, row-major per class: values at (k, x, y) are {@code data[(k*height + y)*width + x]}.
 *
 * @param scale image pixels per grid cell (32 for S0 and S, 1 for full-resolution probabilities)
 */
public record ScoreMaps(int classes, int width, int height, int scale, float[] data) {

    public ScoreMaps {
        if ((long) classes * width * height != data.length) {
            throw new IllegalArgumentException("data size does not match " + classes + "x" + height + "x" + width);
        }
    }

    public float at(int k, int x, int y) {
        return data[(k * height + y) * width + x];
    }

    /** The mean over the grid of the largest value of any class: for probabilities, how sure the model is. */
    public double meanTopValue() {
        int n = width * height;
        if (n == 0 || classes == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float top = data[i];
            for (int k = 1; k < classes; k++) {
                top = Math.max(top, data[k * n + i]);
            }
            sum += top;
        }
        return sum / n;
    }

    /** The k-th map as a copy, row-major. */
    public float[] plane(int k) {
        float[] p = new float[width * height];
        System.arraycopy(data, k * width * height, p, 0, p.length);
        return p;
    }
}

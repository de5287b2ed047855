package org.seglight.mask;

import java.util.Arrays;

/**
 * Fills a polygon into row-major labels: every pixel whose centre lies inside it (even-odd rule) takes the label;
 * the parts outside the mask are ignored. Coordinates are in pixels, pixel (x, y) covering [x, x+1) x [y, y+1).
 * The mask editor's polygon tool and the COCO reader paint polygons with it, so both agree on every pixel.
 */
public final class PolygonFill {

    private PolygonFill() {}

    /**
     * Checks the corners of a polygon.
     *
     * @throws IllegalArgumentException when there are not as many x as y coordinates, or one is not finite
     */
    public static void check(double[] xs, double[] ys) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("A polygon needs as many x as y coordinates, got " + xs.length
                    + " and " + ys.length);
        }
        for (int i = 0; i < xs.length; i++) {
            if (!Double.isFinite(xs[i]) || !Double.isFinite(ys[i])) {
                throw new IllegalArgumentException("Polygon point " + i + " is not a finite number");
            }
        }
    }

    /**
     * The pixels of a {@code width} x {@code height} mask whose centres lie within the polygon's bounding box;
     * {@link Region#EMPTY} for fewer than three corners.
     */
    public static Region bounds(double[] xs, double[] ys, int width, int height) {
        if (xs.length < 3) {
            return Region.EMPTY;
        }
        double minX = Arrays.stream(xs).min().orElseThrow();
        double maxX = Arrays.stream(xs).max().orElseThrow();
        double minY = Arrays.stream(ys).min().orElseThrow();
        double maxY = Arrays.stream(ys).max().orElseThrow();
        return Region.spanning((int) Math.max(Math.ceil(minX - 0.5), 0), (int) Math.max(Math.ceil(minY - 0.5), 0),
                (int) Math.min(Math.floor(maxX - 0.5), width - 1), (int) Math.min(Math.floor(maxY - 0.5),
                        height - 1));
    }

    /**
     * Sets the pixels of {@code bounds} (from {@link #bounds}) whose centres lie inside the polygon to
     * {@code label}.
     *
     * @param labels the mask's labels, row-major, {@code width} per row
     */
    public static void fill(byte[] labels, int width, Region bounds, double[] xs, double[] ys, int label) {
        int n = xs.length;
        double[] crossings = new double[n];
        for (int py = bounds.y(); py < bounds.endY(); py++) {
            double yc = py + 0.5;
            int k = 0;
            for (int i = 0, j = n - 1; i < n; j = i++) {
                if ((ys[i] <= yc) != (ys[j] <= yc)) {
                    crossings[k++] = xs[i] + (yc - ys[i]) * (xs[j] - xs[i]) / (ys[j] - ys[i]);
                }
            }
            Arrays.sort(crossings, 0, k);
            for (int c = 0; c + 1 < k; c += 2) {
                int from = (int) Math.max(bounds.x(), Math.ceil(crossings[c] - 0.5));
                int to = (int) Math.min(bounds.endX() - 1, Math.ceil(crossings[c + 1] - 0.5) - 1);
                if (from <= to) {
                    Arrays.fill(labels, py * width + from, py * width + to + 1, (byte) label);
                }
            }
        }
    }
}

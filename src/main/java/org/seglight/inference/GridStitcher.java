package org.seglight.inference;

/**
 * Averages per-window maps at stride 32 into one grid over the whole image, so S0, S and attention of a
 * slid image can be shown as one picture. Overlapping cells are averaged.
 */
final class GridStitcher {

    private final int channels;
    private final int width;
    private final int height;
    private final float[] sum;
    private final int[] count;

    GridStitcher(int channels, int width, int height) {
        this.channels = channels;
        this.width = width;
        this.height = height;
        this.sum = new float[channels * width * height];
        this.count = new int[width * height];
    }

    /** Adds a (channels, h, w) map whose top-left cell lies at grid (gx, gy); cells outside are dropped. */
    void add(float[] map, int gx, int gy, int w, int h) {
        for (int y = 0; y < h; y++) {
            int ty = gy + y;
            if (ty < 0 || ty >= height) {
                continue;
            }
            for (int x = 0; x < w; x++) {
                int tx = gx + x;
                if (tx < 0 || tx >= width) {
                    continue;
                }
                count[ty * width + tx]++;
                for (int c = 0; c < channels; c++) {
                    sum[(c * height + ty) * width + tx] += map[(c * h + y) * w + x];
                }
            }
        }
    }

    float[] result() {
        float[] out = sum.clone();
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < count.length; i++) {
                out[c * count.length + i] /= Math.max(count[i], 1);
            }
        }
        return out;
    }
}

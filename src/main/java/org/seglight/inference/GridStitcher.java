package org.seglight.inference;

/**
 * Blends per-window maps at stride 32 into one grid over the whole image, so S0, S and attention of a
 * slid image can be shown as one picture. Overlapping cells are weighted averages, each window's weight
 * falling off towards its border ({@link Band#tent}), so a map does not step where a window ends.
 */
final class GridStitcher {

    private final int channels;
    private final int width;
    private final int height;
    private final float[] sum;
    private final float[] weight;

    GridStitcher(int channels, int width, int height) {
        this.channels = channels;
        this.width = width;
        this.height = height;
        this.sum = new float[channels * width * height];
        this.weight = new float[width * height];
    }

    /** Adds a (channels, h, w) map whose top-left cell lies at grid (gx, gy); cells outside are dropped. */
    void add(float[] map, int gx, int gy, int w, int h) {
        float[] wx = Band.tent(w);
        float[] wy = Band.tent(h);
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
                float cw = wx[x] * wy[y];
                weight[ty * width + tx] += cw;
                for (int c = 0; c < channels; c++) {
                    sum[(c * height + ty) * width + tx] += cw * map[(c * h + y) * w + x];
                }
            }
        }
    }

    float[] result() {
        float[] out = sum.clone();
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < weight.length; i++) {
                out[c * weight.length + i] = weight[i] > 0 ? out[c * weight.length + i] / weight[i] : 0;
            }
        }
        return out;
    }
}

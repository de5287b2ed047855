package org.seglight.inference;

/** Array steps of sliding windows: adding a window into the whole image, and how many windows cover a pixel. */
final class Stitching {

    /**
     * Adds the top-left w×h region of each of k planes of src (k, sh, sw) into sum (k, imageHeight, imageWidth)
     * at (x, y). The inner loop runs over contiguous rows, which the JIT vectorises.
     */
    static void addCrop(float[] src, int k, int sh, int sw, float[] sum, int imageWidth, int imageHeight, int x, int y,
            int w, int h) {
        for (int c = 0; c < k; c++) {
            int srcPlane = c * sh * sw;
            int dstPlane = c * imageHeight * imageWidth;
            for (int r = 0; r < h; r++) {
                int s = srcPlane + r * sw;
                int d = dstPlane + (y + r) * imageWidth + x;
                for (int i = 0; i < w; i++) {
                    sum[d + i] += src[s + i];
                }
            }
        }
    }

    /** Adds src (k, h, w), whole, into sum (k, imageHeight, imageWidth) at (x, y); both direct buffers. */
    static void addCrop(java.nio.FloatBuffer src, int k, int h, int w, java.nio.FloatBuffer sum, int imageWidth,
            int imageHeight, int x, int y) {
        float[] row = new float[w];
        float[] acc = new float[w];
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < h; r++) {
                int s = (c * h + r) * w;
                int d = (c * imageHeight + y + r) * imageWidth + x;
                src.get(s, row);
                sum.get(d, acc);
                for (int i = 0; i < w; i++) {
                    acc[i] += row[i];
                }
                sum.put(d, acc);
            }
        }
    }

    /** How many windows cover each pixel of a width×height image. */
    static float[] coverage(java.util.List<WindowPlan.Window> windows, int width, int height) {
        float[] count = new float[width * height];
        for (WindowPlan.Window win : windows) {
            for (int r = 0; r < win.height(); r++) {
                int d = (win.y() + r) * width + win.x();
                for (int i = 0; i < win.width(); i++) {
                    count[d + i] += 1f;
                }
            }
        }
        return count;
    }

    private Stitching() {}
}

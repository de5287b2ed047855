package org.seglight.inference;

import java.nio.FloatBuffer;

/** Array steps of sliding windows: adding a window into the whole image, and how many windows cover a pixel. */
final class Stitching {

    /**
     * Adds the top-left w×h region of each of k planes of src (k, sh, sw) into sum (k, imageHeight, imageWidth)
     * at (x, y), a row at a time: rows are copied out in bulk and added in a loop the JIT vectorises. The
     * buffers may be heap or direct (ONNX Runtime's sum and window outputs are direct).
     */
    static void addCrop(FloatBuffer src, int k, int sh, int sw, FloatBuffer sum, int imageWidth, int imageHeight,
            int x, int y, int w, int h) {
        float[] row = new float[w];
        float[] acc = new float[w];
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < h; r++) {
                int s = (c * sh + r) * sw;
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

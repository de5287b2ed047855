package org.seglight.inference;

/** The network's input convention: RGB, ImageNet mean and std on the 0..255 scale (docs/NETWORK.md §2, §8). */
public final class ImageTensors {

    public static final float[] MEAN = {123.675f, 116.28f, 103.53f};
    public static final float[] STD = {58.395f, 57.12f, 57.375f};

    /**
     * A region of packed RGB pixels, normalised and zero-padded into a (3, ph, pw) array.
     *
     * @param rgb packed 0xRRGGBB pixels of an image {@code stride} pixels wide
     */
    public static float[] normalize(int[] rgb, int stride, int x0, int y0, int w, int h, int pw, int ph) {
        return normalize(rgb, stride, x0, y0, w, h, pw, ph, new float[3 * ph * pw]);
    }

    /**
     * As {@link #normalize(int[], int, int, int, int, int, int, int)}, into {@code into} when it holds at least
     * 3·ph·pw values (its first 3·ph·pw are written, padding zeroed), else into a new array; returns the array.
     */
    public static float[] normalize(int[] rgb, int stride, int x0, int y0, int w, int h, int pw, int ph,
            float[] into) {
        float[] data = into != null && into.length >= 3 * ph * pw ? into : new float[3 * ph * pw];
        if (w < pw || h < ph) {
            java.util.Arrays.fill(data, 0, 3 * ph * pw, 0f);
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb[(y0 + y) * stride + x0 + x];
                int o = y * pw + x;
                data[o] = ((p >> 16 & 0xff) - MEAN[0]) / STD[0];
                data[ph * pw + o] = ((p >> 8 & 0xff) - MEAN[1]) / STD[1];
                data[2 * ph * pw + o] = ((p & 0xff) - MEAN[2]) / STD[2];
            }
        }
        return data;
    }

    private ImageTensors() {}
}

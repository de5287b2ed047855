package org.seglight.render;

/**
 * Maps values to colours for heat maps: a perceptually even blue-green-yellow ramp (viridis, sampled at nine
 * stops and interpolated), so equal steps in score look like equal steps in colour.
 */
public final class Colormap {

    private static final int[] STOPS = {0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962,
        0xaddc30, 0xfde725};
    private static final int[] LUT = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            double t = i / 255.0 * (STOPS.length - 1);
            int a = Math.min((int) t, STOPS.length - 2);
            double f = t - a;
            LUT[i] = mix(STOPS[a], STOPS[a + 1], f);
        }
    }

    /** The 0xRRGGBB colour of {@code t} in [0, 1] (clamped). */
    public static int rgb(double t) {
        return LUT[(int) Math.round(Math.max(0, Math.min(1, t)) * 255)];
    }

    /**
     * Renders values as ARGB pixels, {@code min} → the dark end and {@code max} → the bright end; NaN becomes
     * transparent.
     */
    public static int[] render(float[] values, float min, float max) {
        int[] out = new int[values.length];
        float range = max > min ? max - min : 1;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            out[i] = Float.isNaN(v) ? 0 : 0xff000000 | rgb((v - min) / range);
        }
        return out;
    }

    /** The smallest and largest finite value. */
    public static float[] range(float[] values) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            if (!Float.isNaN(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return min > max ? new float[] {0, 1} : new float[] {min, max};
    }

    private static int mix(int a, int b, double f) {
        int r = (int) Math.round((a >> 16 & 0xff) * (1 - f) + (b >> 16 & 0xff) * f);
        int g = (int) Math.round((a >> 8 & 0xff) * (1 - f) + (b >> 8 & 0xff) * f);
        int bl = (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
        return r << 16 | g << 8 | bl;
    }

    private Colormap() {}
}

package org.seglight.render;

import org.seglight.mask.LabelMask;

/**
 * Turns labels into ARGB pixels for the mask layer: each visible class in its colour, void and hidden classes
 * transparent. Plain Java, so tiles can be made on any thread.
 */
public final class MaskRaster {

    private MaskRaster() {}

    /** ARGB pixels of labels (a tile's samples) through a {@link #lut}. */
    public static int[] render(byte[] labels, int[] lut) {
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = lut[labels[i] & 0xff];
        }
        return out;
    }

    /** ARGB for every label value 0..255. */
    public static int[] lut(int[] colors, boolean[] visible) {
        int[] lut = new int[256];
        for (int k = 0; k < Math.min(colors.length, LabelMask.VOID); k++) {
            boolean shown = k >= visible.length || visible[k];
            lut[k] = shown ? 0xff000000 | colors[k] & 0xffffff : 0;
        }
        return lut;
    }
}

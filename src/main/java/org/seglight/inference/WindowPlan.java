package org.seglight.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * The windows an image runs as (docs/NETWORK.md §9): the whole image when it fits the network input,
 * otherwise crops of the input size at a stride of two thirds, each clipped to the image, as mmseg's slide
 * inference.
 */
public final class WindowPlan {

    /** A window in image pixels, [x, x+width) × [y, y+height). */
    public record Window(int x, int y, int width, int height) {}

    public static List<Window> plan(int imageWidth, int imageHeight, int cropWidth, int cropHeight) {
        int cw = Math.min(cropWidth, imageWidth);
        int ch = Math.min(cropHeight, imageHeight);
        int sw = Math.max(1, cropWidth * 2 / 3);
        int sh = Math.max(1, cropHeight * 2 / 3);
        int nw = Math.max(imageWidth - cw + sw - 1, 0) / sw + 1;
        int nh = Math.max(imageHeight - ch + sh - 1, 0) / sh + 1;
        List<Window> out = new ArrayList<>();
        for (int i = 0; i < nh; i++) {
            for (int j = 0; j < nw; j++) {
                int y2 = Math.min(i * sh + ch, imageHeight);
                int x2 = Math.min(j * sw + cw, imageWidth);
                int y1 = Math.max(y2 - ch, 0);
                int x1 = Math.max(x2 - cw, 0);
                out.add(new Window(x1, y1, x2 - x1, y2 - y1));
            }
        }
        return out;
    }

    private WindowPlan() {}
}

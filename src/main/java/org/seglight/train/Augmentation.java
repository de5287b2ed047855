package org.seglight.train;

import java.awt.Color;
import java.util.Random;
import org.seglight.inference.ImageTensors;
import org.seglight.mask.LabelMask;

/**
 * The training pipeline of docs/NETWORK.md §8, in mmseg's order: random rescale (keep ratio), random crop
 * with the category-ratio rule, horizontal flip, photometric distortion, ImageNet normalisation, padding to
 * the crop.
 *
 * @param scaleLong the long side of mmseg's {@code img_scale} (before the ratio)
 * @param scaleShort the short side of {@code img_scale}
 * @param ratioMin lower end of {@code ratio_range}
 * @param ratioMax upper end of {@code ratio_range}
 * @param crop square crop size
 * @param catMaxRatio no single class may cover more than this share of a crop (up to 10 retries)
 */
public record Augmentation(int scaleLong, int scaleShort, double ratioMin, double ratioMax, int crop,
        double catMaxRatio) {

    /** A normalised (3, crop, crop) image and its (crop, crop) labels. */
    public record Sample(float[] image, byte[] labels) {}

    public Sample apply(SegmentationDataset.Pair pair, Random rnd) {
        int w = pair.width();
        int h = pair.height();
        // Random rescale, keeping the aspect ratio (mmseg Resize with ratio_range).
        double ratio = ratioMin + rnd.nextDouble() * (ratioMax - ratioMin);
        double scale = Math.min(scaleLong * ratio / Math.max(w, h), scaleShort * ratio / Math.min(w, h));
        int nw = Math.max(1, (int) Math.round(w * scale));
        int nh = Math.max(1, (int) Math.round(h * scale));
        float[] rgb = resizeBilinear(pair.rgb(), w, h, nw, nh); // (3, nh, nw) in 0..255
        byte[] labels = resizeNearest(pair.labels(), w, h, nw, nh);

        // Random crop; retry up to 10 times while one class covers more than catMaxRatio of the crop.
        int cw = Math.min(crop, nw);
        int ch = Math.min(crop, nh);
        int x0 = 0;
        int y0 = 0;
        for (int attempt = 0; attempt < 10; attempt++) {
            x0 = rnd.nextInt(nw - cw + 1);
            y0 = rnd.nextInt(nh - ch + 1);
            if (catMaxRatio >= 1 || balanced(labels, nw, x0, y0, cw, ch)) {
                break;
            }
        }
        boolean flip = rnd.nextDouble() < 0.5;
        float[] out = new float[3 * crop * crop];
        byte[] outLabels = new byte[crop * crop];
        java.util.Arrays.fill(outLabels, (byte) LabelMask.VOID);
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int sx = x0 + (flip ? cw - 1 - x : x);
                int si = (y0 + y) * nw + sx;
                int di = y * crop + x;
                for (int c = 0; c < 3; c++) {
                    out[c * crop * crop + di] = rgb[c * nw * nh + si];
                }
                outLabels[di] = labels[si];
            }
        }
        photometric(out, cw, ch, crop, rnd);
        // Normalise the valid region; the padding stays 0 after normalisation, as mmseg pads after Normalize.
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int di = y * crop + x;
                for (int c = 0; c < 3; c++) {
                    int i = c * crop * crop + di;
                    out[i] = (out[i] - ImageTensors.MEAN[c]) / ImageTensors.STD[c];
                }
            }
        }
        return new Sample(out, outLabels);
    }

    private boolean balanced(byte[] labels, int stride, int x0, int y0, int cw, int ch) {
        long[] count = new long[256];
        for (int y = y0; y < y0 + ch; y++) {
            for (int x = x0; x < x0 + cw; x++) {
                count[labels[y * stride + x] & 0xff]++;
            }
        }
        long total = 0;
        long max = 0;
        int classes = 0;
        for (int v = 0; v < 255; v++) {
            if (count[v] > 0) {
                classes++;
                total += count[v];
                max = Math.max(max, count[v]);
            }
        }
        return classes > 1 && (double) max / total < catMaxRatio;
    }

    /** mmseg's PhotoMetricDistortion on the (cw, ch) region of a (3, crop, crop) 0..255 image. */
    private static void photometric(float[] img, int cw, int ch, int crop, Random rnd) {
        float beta = rnd.nextBoolean() ? (float) (rnd.nextDouble() * 64 - 32) : 0f;
        boolean contrastFirst = rnd.nextBoolean();
        float contrast = rnd.nextBoolean() ? (float) (0.5 + rnd.nextDouble()) : 1f;
        float saturation = rnd.nextBoolean() ? (float) (0.5 + rnd.nextDouble()) : 1f;
        float hue = rnd.nextBoolean() ? (float) ((rnd.nextInt(37) - 18) / 180.0) : 0f;
        int plane = crop * crop;
        float[] hsb = new float[3];
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int i = y * crop + x;
                float r = clip(img[i] + beta);
                float g = clip(img[plane + i] + beta);
                float b = clip(img[2 * plane + i] + beta);
                if (contrastFirst) {
                    r = clip(r * contrast);
                    g = clip(g * contrast);
                    b = clip(b * contrast);
                }
                if (saturation != 1f || hue != 0f) {
                    Color.RGBtoHSB(Math.round(r), Math.round(g), Math.round(b), hsb);
                    float hh = hsb[0] + hue;
                    hh -= (float) Math.floor(hh);
                    int rgb = Color.HSBtoRGB(hh, Math.min(1f, hsb[1] * saturation), hsb[2]);
                    r = rgb >> 16 & 0xff;
                    g = rgb >> 8 & 0xff;
                    b = rgb & 0xff;
                }
                if (!contrastFirst) {
                    r = clip(r * contrast);
                    g = clip(g * contrast);
                    b = clip(b * contrast);
                }
                img[i] = r;
                img[plane + i] = g;
                img[2 * plane + i] = b;
            }
        }
    }

    private static float clip(float v) {
        return v < 0 ? 0 : Math.min(v, 255f);
    }

    /** Bilinear resize (align_corners=False) of packed RGB into a (3, nh, nw) float image. */
    static float[] resizeBilinear(int[] rgb, int w, int h, int nw, int nh) {
        float[] out = new float[3 * nw * nh];
        double sx = (double) w / nw;
        double sy = (double) h / nh;
        for (int y = 0; y < nh; y++) {
            double fy = Math.max((y + 0.5) * sy - 0.5, 0);
            int y0 = Math.min((int) fy, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            float wy = (float) (fy - y0);
            for (int x = 0; x < nw; x++) {
                double fx = Math.max((x + 0.5) * sx - 0.5, 0);
                int x0 = Math.min((int) fx, w - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                float wx = (float) (fx - x0);
                int p00 = rgb[y0 * w + x0];
                int p01 = rgb[y0 * w + x1];
                int p10 = rgb[y1 * w + x0];
                int p11 = rgb[y1 * w + x1];
                for (int c = 0; c < 3; c++) {
                    int shift = 16 - 8 * c;
                    float top = (p00 >> shift & 0xff) * (1 - wx) + (p01 >> shift & 0xff) * wx;
                    float bottom = (p10 >> shift & 0xff) * (1 - wx) + (p11 >> shift & 0xff) * wx;
                    out[c * nw * nh + y * nw + x] = top * (1 - wy) + bottom * wy;
                }
            }
        }
        return out;
    }

    /** Nearest-neighbour resize of labels. */
    static byte[] resizeNearest(byte[] labels, int w, int h, int nw, int nh) {
        byte[] out = new byte[nw * nh];
        for (int y = 0; y < nh; y++) {
            int sy = Math.min(h - 1, (int) ((long) y * h / nh));
            for (int x = 0; x < nw; x++) {
                out[y * nw + x] = labels[sy * w + Math.min(w - 1, (int) ((long) x * w / nw))];
            }
        }
        return out;
    }
}

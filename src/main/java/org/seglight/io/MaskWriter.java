package org.seglight.io;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.seglight.mask.LabelMask;

/** Writes masks as indexed PNGs with a palette, and colour overlays, atomically. */
public final class MaskWriter {

    /** An indexed image whose pixel values are the labels and whose palette holds the class colours. */
    public static BufferedImage toIndexed(LabelMask mask, int[] classColors) {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int k = 0; k < classColors.length && k < 255; k++) {
            r[k] = (byte) (classColors[k] >> 16);
            g[k] = (byte) (classColors[k] >> 8);
            b[k] = (byte) classColors[k];
        }
        IndexColorModel cm = new IndexColorModel(8, 256, r, g, b);
        // The image's pixels are one copy of the labels (not a blank image and then a copy into it): an autosave
        // of a 300-megapixel mask allocates 300 MB, not 600.
        byte[] labels = mask.toBytes();
        java.awt.image.WritableRaster raster = java.awt.image.Raster.createInterleavedRaster(
                new java.awt.image.DataBufferByte(labels, labels.length), mask.width(), mask.height(), mask.width(),
                1, new int[] {0}, null);
        return new BufferedImage(cm, raster, false, null);
    }

    /** The image with each labelled pixel blended towards its class colour; void pixels are left as they are. */
    public static BufferedImage overlay(BufferedImage image, LabelMask mask, int[] classColors, float alpha) {
        int w = mask.width();
        int h = mask.height();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y);
                int k = mask.get(x, y);
                if (k < classColors.length) {
                    int c = classColors[k];
                    int r = blend(p >> 16 & 0xff, c >> 16 & 0xff, alpha);
                    int g = blend(p >> 8 & 0xff, c >> 8 & 0xff, alpha);
                    int bl = blend(p & 0xff, c & 0xff, alpha);
                    p = r << 16 | g << 8 | bl;
                }
                out.setRGB(x, y, p & 0xffffff);
            }
        }
        return out;
    }

    /** Reads an indexed (or 8-bit grey) PNG back into a mask, the pixel values being the labels. */
    public static LabelMask readIndexed(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new UnsupportedImageException(file.getFileName() + " is not a readable mask image");
        }
        if (img.getRaster().getNumBands() != 1 || img.getSampleModel().getSampleSize(0) > 8) {
            throw new UnsupportedImageException(file.getFileName()
                    + " is not an indexed or 8-bit single-channel mask");
        }
        byte[] labels = new byte[img.getWidth() * img.getHeight()];
        int[] row = new int[img.getWidth()];
        for (int y = 0; y < img.getHeight(); y++) {
            img.getRaster().getSamples(0, y, img.getWidth(), 1, 0, row);
            for (int x = 0; x < row.length; x++) {
                labels[y * row.length + x] = (byte) row[x];
            }
        }
        return new LabelMask(img.getWidth(), img.getHeight(), labels);
    }

    /** Writes a PNG via a temporary file so a failed write never leaves a half file behind. */
    public static void writePng(BufferedImage img, Path file) throws IOException {
        AtomicFile.write(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("No PNG writer available");
            }
        });
    }

    private static int blend(int a, int b, float alpha) {
        return Math.round(a * (1 - alpha) + b * alpha);
    }

    private MaskWriter() {}
}

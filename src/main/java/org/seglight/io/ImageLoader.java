package org.seglight.io;

import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads an image file into 8-bit sRGB, upright: EXIF orientation applied; grey, palette, 16-bit and alpha
 * images converted (alpha composited on black, as the network never saw transparency); CMYK, empty,
 * truncated and oversized images refused with a clear message.
 */
public final class ImageLoader {

    /** File extensions Seglight opens (lower case, no dot). */
    public static final java.util.Set<String> EXTENSIONS = java.util.Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif",
            "tiff");

    /** Whether a file's name says it is an image Seglight opens (hidden files are not). */
    public static boolean isImageName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && !n.startsWith(".")
                && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(java.util.Locale.ROOT));
    }

    /** The images directly in a folder, sorted by name. */
    public static java.util.List<Path> listImages(Path folder) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile).filter(ImageLoader::isImageName).sorted().toList();
        }
    }

    /** Larger images are refused rather than risking the user's memory. */
    public static final long MAX_PIXELS = 100_000_000L;

    /** Reads and converts; throws {@link UnsupportedImageException} with a user-safe message. */
    public static BufferedImage read(Path file) throws UnsupportedImageException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UnsupportedImageException("Image not found: " + file);
        } catch (IOException e) {
            throw new UnsupportedImageException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return decode(bytes, file.getFileName().toString());
    }

    /**
     * The width and height {@link #read} would return, from the file's header alone (EXIF orientation
     * applied, so a portrait photo stored sideways reports its upright size).
     */
    public static int[] size(Path file) throws UnsupportedImageException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UnsupportedImageException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        String name = file.getFileName().toString();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UnsupportedImageException(name + " is not an image format Seglight can read");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                int orientation = Jpeg.isJpeg(bytes) ? Jpeg.exifOrientation(bytes) : 1;
                return orientation >= 5 ? new int[] {h, w} : new int[] {w, h};
            } finally {
                reader.dispose();
            }
        } catch (UnsupportedImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UnsupportedImageException(name + " is corrupt or truncated (" + e.getMessage() + ")", e);
        }
    }

    /** Decodes image bytes; {@code name} is used in messages. */
    public static BufferedImage decode(byte[] bytes, String name) throws UnsupportedImageException {
        if (bytes.length == 0) {
            throw new UnsupportedImageException(name + " is empty");
        }
        if (Jpeg.isJpeg(bytes) && Jpeg.components(bytes) == 4) {
            throw new UnsupportedImageException(name + " is a CMYK JPEG, which Seglight cannot read;"
                    + " save it as RGB first");
        }
        BufferedImage raw;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UnsupportedImageException(name + " is not an image format Seglight can read"
                        + " (PNG, JPEG, BMP, GIF, TIFF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new UnsupportedImageException(name + " is " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels; Seglight reads images up to " + MAX_PIXELS / 1_000_000 + " megapixels");
                }
                raw = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (UnsupportedImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UnsupportedImageException(name + " is corrupt, truncated or of an unsupported kind ("
                    + e.getMessage() + ")", e);
        }
        if (raw == null || raw.getWidth() < 1 || raw.getHeight() < 1) {
            throw new UnsupportedImageException(name + " holds no pixels");
        }
        BufferedImage rgb = toRgb(raw);
        int orientation = Jpeg.isJpeg(bytes) ? Jpeg.exifOrientation(bytes) : 1;
        return orient(rgb, orientation);
    }

    /** Converts any image to TYPE_INT_RGB (alpha composited on black). */
    public static BufferedImage toRgb(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_INT_RGB) {
            return src;
        }
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Applies an EXIF orientation (1..8) so the image is upright. */
    static BufferedImage orient(BufferedImage img, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return img;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        boolean swap = orientation >= 5;
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        AffineTransform t = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);     // mirror horizontal
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);    // rotate 180
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);     // mirror vertical
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);      // transpose
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);     // rotate 90 clockwise
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);    // transverse
            default -> new AffineTransform(0, -1, 1, 0, 0, w);    // 8: rotate 270 clockwise
        };
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(img, t, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private ImageLoader() {}
}

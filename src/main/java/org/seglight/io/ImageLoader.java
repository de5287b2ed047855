package org.seglight.io;

import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferUShort;
import java.awt.image.SampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads an image file into 8-bit sRGB, upright: EXIF orientation applied; grey, palette, 16-bit, CMYK/YCCK and
 * alpha images converted (alpha composited on black, as the network never saw transparency); multi-page files
 * read at their first page, and said so. Formats are the JDK's and TwelveMonkeys ImageIO's (JPEG of every
 * colour space, WebP, TIFF of every layout, PSD, PNM, TGA, ...).
 *
 * <p>Empty files, unknown formats and images too large for the memory Seglight may use are refused with a clear
 * message before any pixel is decoded (a decompression bomb is refused by its header). A file that decodes only
 * in part (truncated, damaged after its header) is not silently accepted: {@link #load} returns what was read
 * with the damage in words, and {@link #read} throws a {@link DamagedImageException} carrying it, so exports and
 * training keep such images out unless the user confirms.
 *
 * <p>Pixels are decoded straight into the TYPE_INT_RGB image returned where the decoder can (8-bit RGB PNG and
 * JPEG), so a 300-megapixel image costs its 1.2 GB once, not twice.
 */
public final class ImageLoader {

    static {
        ImageIO.scanForPlugins(); // TwelveMonkeys' readers, whichever class loader the first call came from
        ImageIO.setUseCache(false); // read from the file, never through a temporary copy on disk
    }

    /** File extensions Seglight opens (lower case, no dot). */
    public static final java.util.Set<String> EXTENSIONS = java.util.Set.of("png", "jpg", "jpeg", "jpe", "jfif",
            "bmp", "gif", "tif", "tiff", "webp", "psd", "psb", "pbm", "pgm", "ppm", "pnm", "pam", "tga", "sgi",
            "rgb", "iff", "pcx", "pct", "pict", "hdr", "icns", "ico", "cur");

    /** The share of Java's maximum heap one image (its pixels, their labels, a decoder's buffer) may take. */
    static final double MEMORY_SHARE = 0.6;

    /** Bytes a plain 8-bit RGB image costs to hold and segment: 4 for its pixels, 1 for its labels. */
    static final int BYTES_PER_RGB_PIXEL = 5;

    /** Java arrays hold at most this many values, which bounds any image's pixel count. */
    static final long ARRAY_LIMIT = Integer.MAX_VALUE - 8L;

    /** What was read: the upright RGB image, the damage if it decoded only in part, and notes (first page, ...). */
    public record Loaded(BufferedImage image, String damage, List<String> notes) {
        public Loaded {
            notes = List.copyOf(notes);
        }

        /** Whether the file decoded only in part. */
        public boolean damaged() {
            return damage != null;
        }
    }

    /** Told how far a read has come; returning false cancels it. */
    @FunctionalInterface
    public interface Progress {
        boolean update(float percent);
    }

    /** Whether a file's name says it is an image Seglight opens (hidden files are not). */
    public static boolean isImageName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 && !n.startsWith(".") && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The images directly in a folder, sorted by name. */
    public static List<Path> listImages(Path folder) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile).filter(ImageLoader::isImageName).sorted().toList();
        }
    }

    /** The memory one image may take, in bytes: {@value #MEMORY_SHARE} of Java's maximum heap. */
    public static long memoryBudget() {
        return (long) (Runtime.getRuntime().maxMemory() * MEMORY_SHARE);
    }

    /** The largest 8-bit RGB image, in pixels, Seglight reads with the memory it may use here. */
    public static long maxPixels() {
        return Math.min(ARRAY_LIMIT, memoryBudget() / BYTES_PER_RGB_PIXEL);
    }

    /** Reads and converts; a file read only in part throws {@link DamagedImageException} with what was read. */
    public static BufferedImage read(Path file) throws UnsupportedImageException {
        return accept(load(file, null));
    }

    /**
     * Reads and converts, returning a damaged file's partial image with its damage instead of throwing.
     *
     * @param progress told the percentage read; may cancel (then a {@link CancellationException}); may be null
     */
    public static Loaded load(Path file, Progress progress) throws UnsupportedImageException {
        String name = file.getFileName().toString();
        byte[] header;
        try {
            header = header(file);
        } catch (NoSuchFileException e) {
            throw new UnsupportedImageException("Image not found: " + file);
        } catch (IOException e) {
            throw new UnsupportedImageException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        if (header.length == 0) {
            throw new UnsupportedImageException(name + " is empty");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new UnsupportedImageException("Cannot read " + file);
            }
            return decode(in, name, header, progress);
        } catch (IOException e) {
            if (e instanceof UnsupportedImageException u) {
                throw u;
            }
            throw new UnsupportedImageException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #load(Path, Progress)} without progress. */
    public static Loaded load(Path file) throws UnsupportedImageException {
        return load(file, null);
    }

    /**
     * The width and height {@link #read} would return, from the file's header alone (EXIF orientation
     * applied, so a portrait photo stored sideways reports its upright size).
     */
    public static int[] size(Path file) throws UnsupportedImageException {
        String name = file.getFileName().toString();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            byte[] header = header(file);
            ImageReader reader = reader(in, name, header);
            try {
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                return orientation(header) >= 5 ? new int[] {h, w} : new int[] {w, h};
            } finally {
                reader.dispose();
            }
        } catch (UnsupportedImageException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new UnsupportedImageException("Image not found: " + file);
        } catch (IOException | RuntimeException e) {
            throw new UnsupportedImageException(name + " is corrupt or truncated (" + e.getMessage() + ")", e);
        }
    }

    /** Decodes image bytes; {@code name} is used in messages. A partly read image throws. */
    public static BufferedImage decode(byte[] bytes, String name) throws UnsupportedImageException {
        return accept(load(bytes, name));
    }

    /** Decodes image bytes, returning a damaged file's partial image with its damage. */
    public static Loaded load(byte[] bytes, String name) throws UnsupportedImageException {
        if (bytes.length == 0) {
            throw new UnsupportedImageException(name + " is empty");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            return decode(in, name, bytes, null);
        } catch (UnsupportedImageException e) {
            throw e;
        } catch (IOException e) {
            throw new UnsupportedImageException(name + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static BufferedImage accept(Loaded loaded) throws DamagedImageException {
        if (loaded.damaged()) {
            throw new DamagedImageException(loaded);
        }
        return loaded.image();
    }

    /** The file's first bytes, enough for a JPEG's EXIF block. */
    private static byte[] header(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(1 << 20);
        }
    }

    /**
     * The image's packed RGB pixels (0x..RRGGBB, row-major, a stride of its width): its own array when it is a
     * plain INT_RGB or INT_ARGB image, as this loader makes them (read only, never to be written; the alpha
     * byte is to be ignored), otherwise a converted copy. The segmenter and the viewer's tiles read them so.
     */
    public static int[] packedRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if ((image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_INT_ARGB)
                && image.getRaster().getDataBuffer() instanceof java.awt.image.DataBufferInt db
                && db.getNumBanks() == 1 && image.getRaster().getParent() == null
                && image.getRaster().getSampleModel() instanceof java.awt.image.SinglePixelPackedSampleModel sm
                && sm.getScanlineStride() == w && db.getOffset() == 0 && db.getData().length == (long) w * h) {
            return db.getData();
        }
        return image.getRGB(0, 0, w, h, null, 0, w);
    }

    /** What a file's first bytes look like, for a message: text in quotes, or the bytes in hex. */
    static String content(byte[] header) {
        int n = Math.min(header.length, 24);
        int printable = 0;
        for (int i = 0; i < n; i++) {
            int b = header[i] & 0xff;
            if (b >= 0x20 && b < 0x7f || b == '\n' || b == '\r' || b == '\t') {
                printable++;
            }
        }
        if (n > 0 && printable == n) {
            String text = new String(header, 0, n, java.nio.charset.StandardCharsets.US_ASCII)
                    .replaceAll("\\s+", " ").strip();
            return "text (\"" + text + (header.length > n ? "…" : "") + "\")";
        }
        StringBuilder hex = new StringBuilder("the bytes");
        for (int i = 0; i < Math.min(n, 8); i++) {
            hex.append(String.format(" %02x", header[i] & 0xff));
        }
        return hex.toString();
    }

    private static int orientation(byte[] header) {
        return Jpeg.isJpeg(header) ? Jpeg.exifOrientation(header) : 1;
    }

    private static ImageReader reader(ImageInputStream in, String name, byte[] header)
            throws UnsupportedImageException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            String ext = name.lastIndexOf('.') > 0 ? name.substring(name.lastIndexOf('.') + 1)
                    .toLowerCase(java.util.Locale.ROOT) : "";
            if (EXTENSIONS.contains(ext)) {
                // Named as a format Seglight reads, so listing that format would only confuse: say what it holds.
                throw new UnsupportedImageException(name + " is named as a " + ext.toUpperCase(java.util.Locale.ROOT)
                        + " image but is not one: it starts with " + content(header)
                        + ", so it was renamed, damaged or never an image");
            }
            throw new UnsupportedImageException(name + " is not an image format Seglight can read"
                    + " (PNG, JPEG, TIFF, WebP, BMP, GIF, PSD, PNM, TGA and others)");
        }
        ImageReader reader = readers.next();
        reader.setInput(in, false, true); // metadata ignored: a cut PNG would fail in its trailing chunks
        return reader;
    }

    private static Loaded decode(ImageInputStream in, String name, byte[] header, Progress progress)
            throws UnsupportedImageException {
        List<String> notes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        float[] done = {0};
        BufferedImage dest;
        BufferedImage raw;
        String damage = null;
        ImageReader reader = null;
        try {
            reader = reader(in, name, header);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w < 1 || h < 1) {
                throw new UnsupportedImageException(name + " holds no pixels");
            }
            ImageTypeSpecifier intRgb = null;
            ImageTypeSpecifier first = null;
            for (Iterator<ImageTypeSpecifier> it = reader.getImageTypes(0); it.hasNext(); ) {
                ImageTypeSpecifier t = it.next();
                first = first == null ? t : first;
                if (t.getBufferedImageType() == BufferedImage.TYPE_INT_RGB && intRgb == null) {
                    intRgb = t;
                }
            }
            int orientation = orientation(header);
            int decodeBytes = intRgb != null ? 0 : bytesPerPixel(first);
            long perPixel = BYTES_PER_RGB_PIXEL + decodeBytes + (orientation > 1 ? 4 : 0);
            refuseIfTooLarge(name, w, h, perPixel);
            int pages = pages(reader);
            if (pages > 1) {
                notes.add(name + " holds " + pages + " images (pages or frames); Seglight reads the first");
            }
            ImageReadParam param = reader.getDefaultReadParam();
            // Decoded into an image made here, so a read that fails part-way still leaves what it decoded.
            ImageTypeSpecifier type = intRgb != null ? intRgb : first;
            dest = type == null ? null : type.createBufferedImage(w, h);
            if (dest != null) {
                param.setDestination(dest);
            }
            reader.addIIOReadWarningListener((IIOReadWarningListener) (source, warning) -> warnings.add(warning));
            ProgressListener listener = new ProgressListener(done, p -> progress == null || progress.update(p),
                    reader);
            reader.addIIOReadProgressListener(listener);
            try {
                raw = reader.read(0, param);
            } catch (IOException | RuntimeException e) {
                if (dest == null || done[0] <= 0) {
                    throw e;
                }
                raw = dest;
                damage = name + " is truncated or damaged (" + e.getMessage() + "): about "
                        + Math.round(done[0]) + " % of it could be read; the rest is blank";
            }
            if (listener.cancelled) {
                throw new CancellationException("Reading " + name + " was cancelled");
            }
        } catch (UnsupportedImageException | CancellationException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw new UnsupportedImageException(name + " does not fit in the memory Seglight may use here ("
                    + gigabytes(Runtime.getRuntime().maxMemory()) + " of Java heap); start Seglight with more"
                    + " memory, e.g. JAVA_TOOL_OPTIONS=-Xmx16g", e);
        } catch (IOException | RuntimeException e) {
            throw new UnsupportedImageException(name + " is corrupt, truncated or of an unsupported kind ("
                    + e.getMessage() + ")", e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
        if (raw == null || raw.getWidth() < 1 || raw.getHeight() < 1) {
            throw new UnsupportedImageException(name + " holds no pixels");
        }
        for (String warning : warnings) {
            if (damage == null && warning.toLowerCase(Locale.ROOT).contains("premature end")) {
                damage = name + " is truncated (" + warning.strip() + "): only part of it could be read, the"
                        + " rest is filled in";
            } else {
                notes.add(name + ": " + warning.strip());
            }
        }
        String stretched = stretch16(raw);
        if (stretched != null) {
            notes.add(name + stretched);
        }
        BufferedImage rgb = toRgb(raw);
        return new Loaded(orient(rgb, orientation(header)), damage, notes);
    }

    private static void refuseIfTooLarge(String name, int w, int h, long perPixel) throws UnsupportedImageException {
        long pixels = (long) w * h;
        String size = name + " is " + w + "x" + h + " pixels (" + megapixels(pixels) + " megapixels)";
        if (pixels > ARRAY_LIMIT) {
            throw new UnsupportedImageException(size + "; Java holds at most " + megapixels(ARRAY_LIMIT)
                    + " megapixels in one image, so Seglight cannot open it");
        }
        long needed = pixels * perPixel;
        long budget = memoryBudget();
        if (needed > budget) {
            throw new UnsupportedImageException(size + "; opening and segmenting it takes about "
                    + gigabytes(needed) + " (" + perPixel + " bytes a pixel), more than the " + gigabytes(budget)
                    + " Seglight may use here (" + Math.round(MEMORY_SHARE * 100) + " % of its "
                    + gigabytes(Runtime.getRuntime().maxMemory()) + " Java heap), which holds images up to "
                    + megapixels(budget / perPixel) + " megapixels of this kind. Start Seglight with more memory,"
                    + " e.g. JAVA_TOOL_OPTIONS=-Xmx" + Math.max(2, (long) Math.ceil(needed / MEMORY_SHARE / (1L << 30)) + 1)
                    + "g, to open it");
        }
    }

    private static String megapixels(long pixels) {
        return String.valueOf(Math.round(pixels / 1e6));
    }

    private static String gigabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }

    /** Bytes per pixel of a decoder's image type (4 when unknown). */
    private static int bytesPerPixel(ImageTypeSpecifier type) {
        if (type == null) {
            return 4;
        }
        SampleModel sm = type.getSampleModel();
        int bits = 0;
        for (int b = 0; b < sm.getNumBands(); b++) {
            bits += sm.getSampleSize(b);
        }
        return Math.max(1, (bits + 7) / 8);
    }

    /** How many images (pages, frames) the file holds; 1 when the decoder cannot tell cheaply. */
    private static int pages(ImageReader reader) {
        try {
            int n = reader.getNumImages(true);
            return Math.max(1, n);
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }

    /**
     * Stretches 16-bit samples that use only a small part of their range (12-bit cameras and microscopes,
     * scientific TIFFs) to the full range in place, so they do not convert to a near-black 8-bit image.
     *
     * @return what was done, for the notes, or null when nothing was
     */
    private static String stretch16(BufferedImage img) {
        if (!(img.getRaster().getDataBuffer() instanceof DataBufferUShort db)
                || img.getRaster().getDataBuffer().getDataType() != DataBuffer.TYPE_USHORT
                || db.getNumBanks() != 1 || img.getColorModel().hasAlpha()) {
            return null;
        }
        short[] data = db.getData();
        int max = 0;
        for (short v : data) {
            max = Math.max(max, v & 0xffff);
        }
        if (max == 0 || max >= 1 << 14) {
            return null;
        }
        float f = 65535f / max;
        for (int i = 0; i < data.length; i++) {
            data[i] = (short) Math.min(65535, Math.round((data[i] & 0xffff) * f));
        }
        return " is a 16-bit image whose values reach only " + max + " of 65535; they are stretched to the full range";
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

    /** Records the percentage read and aborts the read when told to. */
    private static final class ProgressListener implements IIOReadProgressListener {
        private final float[] done;
        private final Progress progress;
        private final ImageReader reader;
        private boolean cancelled;

        ProgressListener(float[] done, Progress progress, ImageReader reader) {
            this.done = done;
            this.progress = progress;
            this.reader = reader;
        }

        @Override
        public void imageProgress(ImageReader source, float percentageDone) {
            done[0] = Math.max(done[0], percentageDone);
            if (!progress.update(percentageDone)) {
                reader.abort();
            }
        }

        @Override
        public void imageComplete(ImageReader source) {
            done[0] = 100;
        }

        @Override
        public void sequenceStarted(ImageReader source, int minIndex) {}

        @Override
        public void sequenceComplete(ImageReader source) {}

        @Override
        public void imageStarted(ImageReader source, int imageIndex) {}

        @Override
        public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {}

        @Override
        public void thumbnailProgress(ImageReader source, float percentageDone) {}

        @Override
        public void thumbnailComplete(ImageReader source) {}

        @Override
        public void readAborted(ImageReader source) {
            cancelled = true;
        }
    }

    private ImageLoader() {}
}

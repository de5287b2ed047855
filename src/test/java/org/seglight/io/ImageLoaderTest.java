package org.seglight.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageLoaderTest {

    @TempDir
    Path dir;

    private static byte[] encode(BufferedImage img, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, format, out)).isTrue();
        return out.toByteArray();
    }

    /** A JPEG whose left half is red and right half blue, with an EXIF orientation tag. */
    private static byte[] jpegWithOrientation(int orientation) throws Exception {
        BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                img.setRGB(x, y, x < 20 ? 0xff0000 : 0x0000ff);
            }
        }
        byte[] jpeg = encode(img, "jpg");
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0,
            0, 0, 0, 0, 0, 0};
        byte[] exif = new byte[2 + 2 + 6 + tiff.length];
        exif[0] = (byte) 0xff;
        exif[1] = (byte) 0xe1;
        int len = 2 + 6 + tiff.length;
        exif[2] = (byte) (len >> 8);
        exif[3] = (byte) len;
        System.arraycopy(new byte[] {'E', 'x', 'i', 'f', 0, 0}, 0, exif, 4, 6);
        System.arraycopy(tiff, 0, exif, 10, tiff.length);
        byte[] out = new byte[jpeg.length + exif.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(exif, 0, out, 2, exif.length);
        System.arraycopy(jpeg, 2, out, 2 + exif.length, jpeg.length - 2);
        return out;
    }

    @Test
    void exifOrientationIsHonoured() throws Exception {
        BufferedImage rotated = ImageLoader.decode(jpegWithOrientation(6), "rotated.jpg");
        assertThat(rotated.getWidth()).isEqualTo(20);
        assertThat(rotated.getHeight()).isEqualTo(40);
        // Rotating 90° clockwise brings the left (red) half to the top.
        assertThat(rotated.getRGB(10, 5) >> 16 & 0xff).isGreaterThan(200);
        assertThat(rotated.getRGB(10, 35) & 0xff).isGreaterThan(200);
        BufferedImage upright = ImageLoader.decode(jpegWithOrientation(1), "upright.jpg");
        assertThat(upright.getWidth()).isEqualTo(40);
        // The header-only size agrees with the decoded image, so a dataset check sees the upright size.
        Path file = dir.resolve("rotated.jpg");
        Files.write(file, jpegWithOrientation(6));
        assertThat(ImageLoader.size(file)).containsExactly(20, 40);
    }

    @Test
    void greySixteenBitPaletteAndAlphaImagesBecomeRgb() throws Exception {
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(3, 3, 0, 200);
        BufferedImage g = ImageLoader.decode(encode(grey, "png"), "grey.png");
        assertThat(g.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(g.getRGB(3, 3) & 0xffffff).isEqualTo(0xc8c8c8);

        BufferedImage deep = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(1, 1, 0, 65535);
        assertThat(ImageLoader.decode(encode(deep, "png"), "deep.png").getRGB(1, 1) & 0xff).isEqualTo(255);

        IndexColorModel cm = new IndexColorModel(8, 2, new byte[] {0, (byte) 255}, new byte[] {0, 0},
                new byte[] {0, 0});
        BufferedImage pal = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED, cm);
        pal.getRaster().setSample(2, 2, 0, 1);
        assertThat(ImageLoader.decode(encode(pal, "png"), "pal.png").getRGB(2, 2) & 0xffffff).isEqualTo(0xff0000);

        BufferedImage alpha = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
        alpha.setRGB(4, 4, 0xff00ff00);
        BufferedImage a = ImageLoader.decode(encode(alpha, "png"), "alpha.png");
        assertThat(a.getRGB(4, 4) & 0xffffff).isEqualTo(0x00ff00);
        assertThat(a.getRGB(0, 0) & 0xffffff).isEqualTo(0);
    }

    /** A file of the corpus beside this test (src/test/resources/org/seglight/io/corpus), copied to the temp dir. */
    private Path corpus(String name) throws Exception {
        return org.seglight.TestSupport.corpusFile(name, dir.resolve(name));
    }

    /** Mean absolute difference per channel over the whole image, 0..255. */
    private static double difference(BufferedImage a, BufferedImage b) {
        assertThat(b.getWidth()).isEqualTo(a.getWidth());
        assertThat(b.getHeight()).isEqualTo(a.getHeight());
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs((p >> shift & 0xff) - (q >> shift & 0xff));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference.jpg", "cmyk.jpg", "photo.webp", "lossless.webp", "rgb16.tif", "tiled.tif",
        "cmyk.tif", "pages.tif", "layers.psd", "image.ppm", "image.tga", "image.pcx", "image.sgi"})
    void everyKindOfFileReadsAsTheSamePicture(String name) throws Exception {
        BufferedImage reference = ImageLoader.read(corpus("reference.png"));
        ImageLoader.Loaded loaded = ImageLoader.load(corpus(name));
        assertThat(loaded.damaged()).as(name + ": " + loaded.damage()).isFalse();
        assertThat(loaded.image().getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        // The same red-to-blue gradient with a green disc and a white box, within lossy coding and the CMYK
        // round trip through a colour profile.
        assertThat(difference(reference, loaded.image())).as(name).isLessThan(name.contains("cmyk") ? 20 : 6);
    }

    @Test
    void aMultiPageFileIsReadAtItsFirstPageAndSaysSo() throws Exception {
        ImageLoader.Loaded loaded = ImageLoader.load(corpus("pages.tif"));
        assertThat(loaded.notes()).anySatisfy(n -> assertThat(n).contains("holds 2 images").contains("the first"));
        assertThat(difference(ImageLoader.read(corpus("reference.png")), loaded.image())).isLessThan(6);
    }

    @Test
    void sixteenBitValuesThatUseLittleOfTheirRangeAreStretched() throws Exception {
        ImageLoader.Loaded loaded = ImageLoader.load(corpus("gray12bit.tif"));
        assertThat(loaded.notes()).anySatisfy(n -> assertThat(n).contains("16-bit").contains("stretched"));
        int brightest = 0;
        for (int x = 0; x < loaded.image().getWidth(); x++) {
            brightest = Math.max(brightest, loaded.image().getRGB(x, 30) & 0xff);
        }
        assertThat(brightest).as("the white box, stretched back from 1/16 of the range").isGreaterThan(240);
    }

    @Test
    void aGreyImageOfAnotherFormatReads() throws Exception {
        BufferedImage g = ImageLoader.read(corpus("image.pgm"));
        int p = g.getRGB(70, 30);
        assertThat(p & 0xff).isEqualTo(p >> 8 & 0xff).isEqualTo(p >> 16 & 0xff).isGreaterThan(240);
    }

    @Test
    void truncatedFilesAreSaidToBeTruncatedAndShowWhatWasRead() throws Exception {
        for (String name : new String[] {"truncated.jpg", "truncated.png"}) {
            Path file = corpus(name);
            ImageLoader.Loaded loaded = ImageLoader.load(file);
            assertThat(loaded.damaged()).as(name).isTrue();
            assertThat(loaded.damage()).contains(name).contains("truncated");
            assertThat(ImageLoader.size(file)).containsExactly(loaded.image().getWidth(), loaded.image().getHeight());
            assertThatThrownBy(() -> ImageLoader.read(file)).isInstanceOf(DamagedImageException.class)
                    .hasMessageContaining("truncated")
                    .satisfies(e -> assertThat(((DamagedImageException) e).partial().image()).isNotNull());
        }
        // What was read is the top of the picture: the cut JPEG's first rows are the gradient, not grey.
        BufferedImage top = ImageLoader.load(corpus("truncated.jpg")).image();
        int p = top.getRGB(10, 5);
        assertThat(Math.abs((p >> 16 & 0xff) - (p & 0xff))).as("red and blue differ at the top").isGreaterThan(60);
    }

    @Test
    void corruptAndEmptyFilesAreRefusedClearly() throws Exception {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        byte[] png = encode(img, "png");
        Path cut = dir.resolve("cut.png");
        Files.write(cut, Arrays.copyOf(png, 40)); // inside the header: nothing can be read
        assertThatThrownBy(() -> ImageLoader.read(cut)).isInstanceOf(UnsupportedImageException.class)
                .hasMessageContaining("cut.png");

        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not an image");
        assertThatThrownBy(() -> ImageLoader.read(text)).hasMessage("notes.png is named as a PNG image but is not one:"
                + " it starts with text (\"not an image\"), so it was renamed, damaged or never an image");
        Path other = dir.resolve("notes.xyz");
        Files.writeString(other, "not an image");
        assertThatThrownBy(() -> ImageLoader.read(other)).hasMessageContaining("not an image format");
        assertThat(ImageLoader.content(new byte[] {0, 1, (byte) 0xfe, 7})).isEqualTo("the bytes 00 01 fe 07");
        assertThatThrownBy(() -> ImageLoader.decode(new byte[0], "empty.png")).hasMessageContaining("empty");
        Files.write(dir.resolve("empty.jpg"), new byte[0]);
        assertThatThrownBy(() -> ImageLoader.read(dir.resolve("empty.jpg"))).hasMessageContaining("empty");
        assertThatThrownBy(() -> ImageLoader.read(dir.resolve("gone.png"))).hasMessageContaining("not found");
    }

    @Test
    void aDecompressionBombIsRefusedByItsHeaderWithTheLimitStated() throws Exception {
        // A valid PNG header claiming 100000 x 100000 pixels (10 gigapixels), and no pixel data.
        byte[] png = encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png");
        java.nio.ByteBuffer.wrap(png, 16, 8).putInt(100_000).putInt(100_000);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17);
        java.nio.ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
        Path bomb = dir.resolve("bomb.png");
        Files.write(bomb, png);
        assertThatThrownBy(() -> ImageLoader.read(bomb)).isInstanceOf(UnsupportedImageException.class)
                .hasMessageContaining("100000x100000").hasMessageContaining("megapixels")
                .hasMessageContaining("Seglight cannot open it");

        // 40000 x 40000 (1600 megapixels) fits Java's arrays but not the test heap: the limit is said in numbers.
        java.nio.ByteBuffer.wrap(png, 16, 8).putInt(40_000).putInt(40_000);
        crc.reset();
        crc.update(png, 12, 17);
        java.nio.ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
        Files.write(bomb, png);
        assertThatThrownBy(() -> ImageLoader.read(bomb)).hasMessageContaining("1600 megapixels")
                .hasMessageContaining("holds images up to").hasMessageContaining("JAVA_TOOL_OPTIONS=-Xmx");
    }

    @Test
    void theLimitIsWhatMemoryAllowsAndAtLeast500MegapixelsWithTheTestHeap() {
        long heap = Runtime.getRuntime().maxMemory();
        assertThat(ImageLoader.maxPixels()).isEqualTo(Math.min(ImageLoader.ARRAY_LIMIT,
                (long) (heap * ImageLoader.MEMORY_SHARE) / ImageLoader.BYTES_PER_RGB_PIXEL));
        if (heap >= 5L << 30) { // the build's tests run with -Xmx6g
            assertThat(ImageLoader.maxPixels()).isGreaterThanOrEqualTo(500_000_000L);
        }
    }

    @Test
    void aOnePixelImageLoads() throws Exception {
        BufferedImage one = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        one.setRGB(0, 0, 0x123456);
        assertThat(ImageLoader.decode(encode(one, "bmp"), "one.bmp").getRGB(0, 0) & 0xffffff).isEqualTo(0x123456);
    }
}

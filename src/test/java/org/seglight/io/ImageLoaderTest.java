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

    @Test
    void cmykCorruptAndEmptyFilesAreRefusedClearly() throws Exception {
        byte[] cmyk = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xc0, 0, 17, 8, 0, 16, 0, 16, 4, 1, 0x11, 0, 2,
            0x11, 0, 3, 0x11, 0, 4, 0x11, 0, (byte) 0xff, (byte) 0xd9};
        assertThatThrownBy(() -> ImageLoader.decode(cmyk, "print.jpg")).isInstanceOf(UnsupportedImageException.class)
                .hasMessageContaining("CMYK");

        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        byte[] png = encode(img, "png");
        Path truncated = dir.resolve("cut.png");
        Files.write(truncated, Arrays.copyOf(png, png.length / 3));
        assertThatThrownBy(() -> ImageLoader.read(truncated)).isInstanceOf(UnsupportedImageException.class)
                .hasMessageContaining("cut.png");

        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not an image");
        assertThatThrownBy(() -> ImageLoader.read(text)).hasMessageContaining("not an image format");
        assertThatThrownBy(() -> ImageLoader.decode(new byte[0], "empty.png")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ImageLoader.read(dir.resolve("gone.png"))).hasMessageContaining("not found");
    }

    @Test
    void aOnePixelImageLoads() throws Exception {
        BufferedImage one = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        one.setRGB(0, 0, 0x123456);
        assertThat(ImageLoader.decode(encode(one, "bmp"), "one.bmp").getRGB(0, 0) & 0xffffff).isEqualTo(0x123456);
    }
}

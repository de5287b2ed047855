package org.seglight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.TestSupport;
import org.seglight.io.MaskWriter;
import org.seglight.mask.LabelMask;

/**
 * A folder of awkward files, as users have them: a 12000x9000 PNG (108 megapixels, refused before), a CMYK JPEG,
 * WebP, 16-bit and multi-page TIFF, PSD, and a truncated JPEG. The batch CLI segments every readable one with the
 * shipped model, each mask the size of its image, and names the truncated one instead of using it silently.
 */
class AwkwardImagesCliTest {

    @TempDir
    Path dir;

    @Test
    void everyReadableFileIsSegmentedAtItsOwnSizeAndTheTruncatedOneIsNamed() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        // 108 megapixels: a sky band over a street-grey band, cheap to encode.
        BufferedImage big = new BufferedImage(12000, 9000, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) big.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < 9000; y++) {
            java.util.Arrays.fill(px, y * 12000, (y + 1) * 12000, y < 3500 ? 0x96b4e6 : 0x606060 + (y / 500 % 3));
        }
        ImageIO.write(big, "png", in.resolve("aerial.png").toFile());
        big = null;
        px = null;
        for (String name : new String[] {"cmyk.jpg", "photo.webp", "rgb16.tif", "pages.tif", "layers.psd",
            "truncated.jpg"}) {
            TestSupport.corpusFile(name, in.resolve(name));
        }
        Path out = dir.resolve("out");
        String[] r = CliTest.run("segment", "--input", in.toString(), "--out", out.toString(), "--format", "png");
        String said = r[1] + r[2];
        for (String name : new String[] {"aerial", "cmyk", "photo", "rgb16", "pages", "layers"}) {
            Path mask = out.resolve("masks").resolve(name + ".png");
            assertThat(mask).as(name + ": " + said).isRegularFile();
            LabelMask m = MaskWriter.readIndexed(mask);
            int[] size = name.equals("aerial") ? new int[] {12000, 9000} : new int[] {96, 64};
            assertThat(new int[] {m.width(), m.height()}).as(name).containsExactly(size);
        }
        assertThat(said).contains("truncated.jpg").contains("truncated");
        assertThat(out.resolve("masks").resolve("truncated.png")).doesNotExist();
    }
}

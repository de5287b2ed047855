package org.seglight.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.mask.LabelMask;
import org.seglight.text.PromptSet;

class FormatsTest {

    @TempDir
    Path dir;

    @Test
    void indexedPngReloadsToTheSameMaskWithThePalette() throws Exception {
        byte[] labels = new byte[7 * 5];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % 4 == 3 ? LabelMask.VOID : i % 3);
        }
        LabelMask mask = new LabelMask(7, 5, labels);
        Path file = dir.resolve("mask.png");
        MaskWriter.writePng(MaskWriter.toIndexed(mask, new int[] {0xff0000, 0x00ff00, 0x0000ff}), file);
        assertThat(MaskWriter.readIndexed(file)).isEqualTo(mask);
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img.getColorModel()).isInstanceOf(IndexColorModel.class);
        assertThat(((IndexColorModel) img.getColorModel()).getRGB(1) & 0xffffff).isEqualTo(0x00ff00);
    }

    @Test
    void safetensorsRoundTripAndTruncationIsReported() throws Exception {
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        t.put("a.weight", new Safetensors.Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        t.put("a.bias", new Safetensors.Tensor(new long[] {2}, new float[] {-1, 0.5f}));
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(file, t, Map.of("note", "x"));
        Safetensors.Contents c = Safetensors.read(file);
        assertThat(c.tensors().keySet()).containsExactly("a.weight", "a.bias");
        assertThat(c.tensors().get("a.weight").data()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(c.metadata()).containsEntry("note", "x");
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 8));
        assertThatThrownBy(() -> Safetensors.read(cut)).isInstanceOf(IOException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void classListReadsCamVidStyleCsv() throws Exception {
        Path csv = dir.resolve("classes.csv");
        Files.writeString(csv, "index,name,r,g,b\n0,Sky,128,128,128\n1,Road,128,64,128\n2,Unlabelled,0,0,0\n");
        PromptSet p = ClassList.toPrompts(ClassList.read(csv), 2, "a photo of a {}.");
        assertThat(p.names()).containsExactly("Sky", "Road");
        assertThat(p.color(1)).isEqualTo(0x804080);
        Files.writeString(csv, "0,Sky\nx,Road\n");
        assertThatThrownBy(() -> ClassList.read(csv)).hasMessageContaining("line 2");
    }

    @Test
    void aPromptSetRoundTripsWithItsTemplatesEvenWithCommas() throws Exception {
        Path csv = dir.resolve("prompts.csv");
        PromptSet p = new PromptSet(java.util.List.of(
                new org.seglight.text.ClassPrompt("sky", "a photo of the {}, above", 0x102030),
                new org.seglight.text.ClassPrompt("road", "a photo of a {}.", 0x405060)));
        ClassList.write(csv, p);
        assertThat(ClassList.toPrompts(ClassList.read(csv), -1, "ignored {}")).isEqualTo(p);
    }
}

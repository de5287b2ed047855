package org.seglight.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.mask.LabelMask;
import org.seglight.text.PromptSet;

class CocoRleTest {

    /** A mask from rows of 0/1 labels. */
    private static LabelMask mask(int[][] rows) {
        int h = rows.length;
        int w = rows[0].length;
        byte[] labels = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                labels[y * w + x] = (byte) rows[y][x];
            }
        }
        return new LabelMask(w, h, labels);
    }

    private static boolean[] flags(LabelMask m, int label) {
        boolean[] out = new boolean[m.width() * m.height()];
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                out[y * m.width() + x] = m.get(x, y) == label;
            }
        }
        return out;
    }

    @Test
    void matchesAKnownPycocotoolsString() {
        LabelMask m = mask(new int[][] {{0, 0, 0, 0}, {0, 1, 1, 0}, {0, 1, 1, 0}, {0, 0, 0, 0}});
        long[] counts = CocoRle.counts(m, 1);
        assertThat(counts).containsExactly(5, 2, 2, 2, 5);
        assertThat(CocoRle.compress(counts)).isEqualTo("52203");
        assertThat(CocoRle.decompress("52203")).containsExactly(5, 2, 2, 2, 5);
        assertThat(CocoRle.decode(counts, 4, 4)).containsExactly(flags(m, 1));
        assertThat(CocoRle.area(counts)).isEqualTo(4);
        assertThat(CocoRle.bbox(counts, 4)).containsExactly(1, 1, 2, 2);
    }

    @Test
    void handWorkedThreeByTwoMaskStartingWithAOne() {
        LabelMask m = mask(new int[][] {{1, 0, 0}, {1, 1, 0}});
        long[] counts = CocoRle.counts(m, 1);
        assertThat(counts).containsExactly(0, 2, 1, 1, 2);
        assertThat(CocoRle.compress(counts)).isEqualTo("021O1");
        assertThat(CocoRle.decompress("021O1")).containsExactly(0, 2, 1, 1, 2);
        assertThat(CocoRle.decode(counts, 2, 3)).containsExactly(flags(m, 1));
        assertThat(CocoRle.area(counts)).isEqualTo(3);
        assertThat(CocoRle.bbox(counts, 2)).containsExactly(0, 0, 2, 2);
        assertThat(CocoRle.counts(m, 0)).containsExactly(2, 1, 1, 2);
    }

    @Test
    void allZeroAndAllOneMasks() {
        LabelMask zeros = mask(new int[][] {{0, 0, 0}, {0, 0, 0}});
        assertThat(CocoRle.counts(zeros, 1)).containsExactly(6);
        assertThat(CocoRle.compress(new long[] {6})).isEqualTo("6");
        assertThat(CocoRle.area(new long[] {6})).isZero();
        assertThat(CocoRle.bbox(new long[] {6}, 2)).containsExactly(0, 0, 0, 0);
        assertThat(CocoRle.decode(new long[] {6}, 2, 3)).containsOnly(false);

        assertThat(CocoRle.counts(zeros, 0)).containsExactly(0, 6);
        assertThat(CocoRle.compress(new long[] {0, 6})).isEqualTo("06");
        assertThat(CocoRle.area(new long[] {0, 6})).isEqualTo(6);
        assertThat(CocoRle.bbox(new long[] {0, 6}, 2)).containsExactly(0, 0, 3, 2);
        assertThat(CocoRle.decode(new long[] {0, 6}, 2, 3)).containsOnly(true);
    }

    @Test
    void multiCharacterAndNegativeDeltasRoundTrip() {
        assertThat(CocoRle.compress(new long[] {100})).isEqualTo("T3");
        long[] counts = {0, 1_000_000, 3, 17, 999_999, 0, 1, 4_000_000_000L, 2};
        assertThat(CocoRle.decompress(CocoRle.compress(counts))).containsExactly(counts);
        Random random = new Random(7);
        for (int t = 0; t < 200; t++) {
            long[] c = new long[1 + random.nextInt(30)];
            for (int i = 0; i < c.length; i++) {
                c[i] = random.nextInt(4) == 0 ? random.nextInt(1 << 20) : random.nextInt(40);
            }
            assertThat(CocoRle.decompress(CocoRle.compress(c))).containsExactly(c);
        }
    }

    @Test
    void bboxOfARunThatWrapsIntoTheNextColumnSpansAllRows() {
        LabelMask m = mask(new int[][] {{0, 1, 0}, {0, 0, 0}, {1, 0, 0}});
        long[] counts = CocoRle.counts(m, 1);
        assertThat(counts).containsExactly(2, 2, 5);
        assertThat(CocoRle.bbox(counts, 3)).containsExactly(0, 0, 2, 3);
    }

    @Test
    void invalidInputIsRefused() {
        assertThatThrownBy(() -> CocoRle.decompress("5 2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CocoRle.decompress("T")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends");
        assertThatThrownBy(() -> CocoRle.decode(new long[] {5, 2}, 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7");
    }

    @Test
    void cocoFileRoundTripsMasksWithSeveralClassesAndVoid(@TempDir Path dir) throws Exception {
        PromptSet classes = PromptSet.of("road", "car", "sky", "tree");
        byte[] a = new byte[9 * 6];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (i % 11 == 0 ? LabelMask.VOID : (i / 7) % 3);
        }
        byte[] b = new byte[5 * 8];
        Arrays.fill(b, (byte) 3);
        b[0] = (byte) LabelMask.VOID;
        LabelMask maskA = new LabelMask(9, 6, a);
        LabelMask maskB = new LabelMask(5, 8, b);
        Path file = dir.resolve("out/annotations.coco.json");
        CocoWriter.write(file, classes, List.of(new CocoWriter.Entry("a.jpg", maskA),
                new CocoWriter.Entry("b.png", maskB)));

        assertThat(CocoWriter.readMask(file, "a.jpg")).isEqualTo(maskA);
        assertThat(CocoWriter.readMask(file, "b.png")).isEqualTo(maskB);
        JsonObject root = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        assertThat(root.getAsJsonArray("annotations")).hasSize(3 + 1);
        JsonObject first = root.getAsJsonArray("annotations").get(0).getAsJsonObject();
        assertThat(first.get("iscrowd").getAsInt()).isEqualTo(1);
        assertThat(first.get("category_id").getAsInt()).isEqualTo(1);
        assertThat(first.get("area").getAsLong()).isEqualTo(maskA.histogram()[0]);
        assertThat(first.getAsJsonObject("segmentation").getAsJsonArray("size").toString()).isEqualTo("[6,9]");
        JsonObject car = root.getAsJsonArray("categories").get(1).getAsJsonObject();
        assertThat(car.get("id").getAsInt()).isEqualTo(2);
        assertThat(car.get("name").getAsString()).isEqualTo("car");
        assertThat(car.get("seglight_index").getAsInt()).isEqualTo(1);
        assertThatThrownBy(() -> CocoWriter.readMask(file, "c.jpg")).isInstanceOf(IOException.class)
                .hasMessageContaining("c.jpg").hasMessageContaining("annotations.coco.json");
        assertThatThrownBy(() -> new CocoWriter(PromptSet.of("one")).add("a.jpg", maskA))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 1");
    }

    @Test
    void readsPolygonsAndUncompressedCountsFromOtherTools(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("other.json");
        Files.writeString(file, """
                {"images": [{"id": 7, "file_name": "x.jpg", "width": 4, "height": 3}],
                 "categories": [{"id": 12, "name": "cat"}, {"id": 40, "name": "dog"}],
                 "annotations": [
                  {"id": 1, "image_id": 7, "category_id": 40, "segmentation": [[0, 0, 2, 0, 2, 2, 0, 2]]},
                  {"id": 2, "image_id": 7, "category_id": 12,
                   "segmentation": {"size": [3, 4], "counts": [9, 3]}, "iscrowd": 1}]}
                """);
        LabelMask m = CocoWriter.readMask(file, "x.jpg");
        int v = LabelMask.VOID;
        assertThat(m).isEqualTo(mask(new int[][] {{1, 1, v, 0}, {1, 1, v, 0}, {v, v, v, 0}}));
    }
}

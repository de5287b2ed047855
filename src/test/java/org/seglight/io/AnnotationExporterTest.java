package org.seglight.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.io.AnnotationExporter.Format;
import org.seglight.io.AnnotationExporter.Report;
import org.seglight.mask.LabelMask;
import org.seglight.task.Progress;
import org.seglight.text.ClassPrompt;
import org.seglight.text.PromptSet;

class AnnotationExporterTest {

    private static final PromptSet CLASSES = new PromptSet(List.of(
            new ClassPrompt("road", null, 0xff0000), new ClassPrompt("car", null, 0x00ff00),
            new ClassPrompt("sky", null, 0x0000ff)));
    private static final Set<Format> ALL = EnumSet.allOf(Format.class);

    @TempDir
    Path dir;

    private final Map<Path, LabelMask> masks = new HashMap<>();

    private Path image(String name, int w, int h, int label) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, 0x808080);
            }
        }
        Path file = dir.resolve("images").resolve(name);
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        byte[] labels = new byte[w * h];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % 4 == 3 ? LabelMask.VOID : (label + i / w) % 3);
        }
        masks.put(file, new LabelMask(w, h, labels));
        return file;
    }

    private LabelMask maskFor(Path image) throws IOException {
        LabelMask m = masks.get(image);
        if (m == null) {
            throw new NoSuchFileException(image.toString());
        }
        return m;
    }

    /** Progress that records messages and cancels once {@code cancelAfter} images were started. */
    private static final class Recorder implements Progress {
        final List<String> messages = new ArrayList<>();
        final int cancelAfter;
        int started;

        Recorder(int cancelAfter) {
            this.cancelAfter = cancelAfter;
        }

        @Override
        public void update(String message, long done, long total) {
            messages.add(message + " " + done + "/" + total);
            if (message.startsWith("Exporting")) {
                started++;
            }
        }

        @Override
        public boolean isCancelled() {
            return started >= cancelAfter;
        }
    }

    private Path out;

    @BeforeEach
    void setUp() {
        out = dir.resolve("export");
    }

    @Test
    void writesMasksOverlaysClassesAndCocoThatDecodeToTheMasks() throws Exception {
        Path a = image("a.png", 6, 4, 0);
        Path b = image("b.png", 5, 7, 1);
        Recorder progress = new Recorder(Integer.MAX_VALUE);
        Report report = AnnotationExporter.export(List.of(a, b), this::maskFor, CLASSES, out, ALL, progress);

        assertThat(report).isEqualTo(new Report(2, List.of(), false, 0, List.of(a, b), List.of()));
        assertThat(progress.messages).startsWith("Exporting a.png 0/2", "Exporting b.png 1/2");
        assertThat(MaskWriter.readIndexed(out.resolve("masks/a.png"))).isEqualTo(masks.get(a));
        assertThat(MaskWriter.readIndexed(out.resolve("masks/b.png"))).isEqualTo(masks.get(b));
        assertThat(CocoWriter.readMask(out.resolve("annotations.coco.json"), "a.png")).isEqualTo(masks.get(a));
        assertThat(CocoWriter.readMask(out.resolve("annotations.coco.json"), "b.png")).isEqualTo(masks.get(b));
        assertThat(ClassList.read(out.resolve("classes.csv"))).extracting(ClassList.Entry::name)
                .containsExactly("road", "car", "sky");

        BufferedImage overlay = ImageIO.read(out.resolve("overlays/a.png").toFile());
        assertThat(overlay.getRGB(0, 0) & 0xffffff).isEqualTo(0xc04040);
        assertThat(overlay.getRGB(3, 0) & 0xffffff).isEqualTo(0x808080);
    }

    @Test
    void aBadImageIsReportedByNameWhileTheOthersAreExported() throws Exception {
        Path a = image("a.png", 6, 4, 0);
        Path bad = dir.resolve("images/bad.jpg");
        Files.write(bad, new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2, 3, 4, 5, 6, 7, 8});
        masks.put(bad, masks.get(a));
        Path small = image("small.png", 3, 3, 2);
        masks.put(small, masks.get(a));
        Path b = image("b.png", 5, 7, 1);

        Report report = AnnotationExporter.export(List.of(a, bad, small, b), this::maskFor, CLASSES, out, ALL,
                Progress.NONE);

        assertThat(report.exported()).isEqualTo(2);
        assertThat(report.cancelled()).isFalse();
        assertThat(report.failed()).extracting(AnnotationExporter.Failure::image).containsExactly(bad, small);
        assertThat(report.failed().get(0).reason()).contains("bad.jpg");
        assertThat(report.failed().get(1).reason()).contains("small.png").contains("3x3").contains("6x4");
        assertThat(out.resolve("masks/bad.png")).doesNotExist();
        assertThat(out.resolve("masks/small.png")).doesNotExist();
        assertThat(MaskWriter.readIndexed(out.resolve("masks/b.png"))).isEqualTo(masks.get(b));
        assertThat(CocoWriter.readMask(out.resolve("annotations.coco.json"), "b.png")).isEqualTo(masks.get(b));
        assertThatThrownBy(() -> CocoWriter.readMask(out.resolve("annotations.coco.json"), "bad.jpg"))
                .isInstanceOf(IOException.class);
    }

    /** The truncated JPEG of the corpus (640x480, its top read, the rest filled in) among good images. */
    private Path truncated() throws IOException {
        Path cut = org.seglight.TestSupport.corpusFile("truncated.jpg", dir.resolve("images/cut.jpg"));
        masks.put(cut, new LabelMask(640, 480, new byte[640 * 480]));
        return cut;
    }

    @Test
    void aDamagedImageIsLeftOutWithItsDamageAndIncludedOnlyWhenAsked() throws Exception {
        Path a = image("a.png", 6, 4, 0);
        Path cut = truncated();
        Path b = image("b.png", 5, 7, 1);
        // An earlier export (before damage was known) left a mask and an overlay of the cut file in the folder.
        Files.createDirectories(out.resolve("masks"));
        Files.createDirectories(out.resolve("overlays"));
        Files.writeString(out.resolve("masks/cut.png"), "stale");
        Files.writeString(out.resolve("overlays/cut.png"), "stale");
        List<Path> asked = new ArrayList<>();
        AnnotationExporter.MaskSource source = image -> {
            asked.add(image);
            return maskFor(image);
        };

        // Masks and COCO only: the image itself is not needed for them, and is read all the same.
        Report report = AnnotationExporter.export(List.of(a, cut, b), source, CLASSES, out,
                EnumSet.of(Format.PNG, Format.COCO), Progress.NONE);

        assertThat(report.exported()).isEqualTo(2);
        assertThat(report.done()).containsExactly(a, b);
        assertThat(report.failed()).singleElement().satisfies(f -> {
            assertThat(f.image()).isEqualTo(cut);
            assertThat(f.damaged()).isTrue();
            assertThat(f.reason()).contains("cut.jpg is truncated", "only part of it could be read");
        });
        assertThat(report.damagedLeftOut()).isEqualTo(report.failed());
        assertThat(report.otherFailures()).isEmpty();
        assertThat(report.damagedIncluded()).isEmpty();
        assertThat(asked).as("no mask is made of a damaged image left out").containsExactly(a, b);
        assertThat(out.resolve("masks/cut.png")).doesNotExist();
        assertThat(out.resolve("overlays/cut.png")).doesNotExist();
        assertThat(Files.readString(out.resolve(AnnotationExporter.PAIRS_LIST))).doesNotContain("cut");
        assertThatThrownBy(() -> CocoWriter.readMask(out.resolve("annotations.coco.json"), "cut.jpg"))
                .isInstanceOf(IOException.class);

        // The user confirmed: exported as it was read, and said so.
        Report included = AnnotationExporter.export(List.of(a, cut, b), source, CLASSES, out, ALL, false, true,
                Progress.NONE);
        assertThat(included.exported()).isEqualTo(3);
        assertThat(included.failed()).isEmpty();
        assertThat(included.damagedIncluded()).singleElement().satisfies(d -> {
            assertThat(d.image()).isEqualTo(cut);
            assertThat(d.damage()).contains("truncated");
        });
        assertThat(MaskWriter.readIndexed(out.resolve("masks/cut.png"))).isEqualTo(masks.get(cut));
        assertThat(out.resolve("overlays/cut.png")).isRegularFile();
        assertThat(Files.readString(out.resolve(AnnotationExporter.PAIRS_LIST))).contains("cut.jpg");
    }

    @Test
    void aPredictionIsMadeFromThePixelsTheExportRead() throws Exception {
        Path a = image("a.png", 6, 4, 0);
        List<Integer> widths = new ArrayList<>();
        AnnotationExporter.MaskSource predicting = new AnnotationExporter.MaskSource() {
            @Override
            public LabelMask maskFor(Path image) {
                throw new AssertionError("the file is read once, by the export");
            }

            @Override
            public LabelMask maskFor(Path image, BufferedImage pixels) throws IOException {
                widths.add(pixels.getWidth());
                return AnnotationExporterTest.this.maskFor(image);
            }
        };
        Report report = AnnotationExporter.export(List.of(a), predicting, CLASSES, out, ALL, Progress.NONE);
        assertThat(report.exported()).isEqualTo(1);
        assertThat(widths).containsExactly(6);
    }

    @Test
    void cancellingStopsBetweenImagesAndKeepsWhatWasDone() throws Exception {
        Path a = image("a.png", 6, 4, 0);
        Path b = image("b.png", 5, 7, 1);
        Path c = image("c.png", 4, 4, 2);

        Report report = AnnotationExporter.export(List.of(a, b, c), this::maskFor, CLASSES, out,
                EnumSet.of(Format.PNG, Format.COCO), new Recorder(1));

        assertThat(report).isEqualTo(new Report(1, List.of(), true, 0, List.of(a), List.of()));
        assertThat(out.resolve("masks/a.png")).isRegularFile();
        assertThat(out.resolve("masks/b.png")).doesNotExist();
        assertThat(out.resolve("overlays")).doesNotExist();
        assertThat(CocoWriter.readMask(out.resolve("annotations.coco.json"), "a.png")).isEqualTo(masks.get(a));
        assertThatThrownBy(() -> CocoWriter.readMask(out.resolve("annotations.coco.json"), "b.png"))
                .isInstanceOf(IOException.class).hasMessageContaining("b.png");
    }

    @Test
    void anUnwritableFolderFailsBeforeAnyWork() throws Exception {
        Path a = image("a.png", 6, 4, 0);
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        List<Path> asked = new ArrayList<>();
        AnnotationExporter.MaskSource source = image -> {
            asked.add(image);
            return maskFor(image);
        };
        assertThatThrownBy(() -> AnnotationExporter.export(List.of(a), source, CLASSES, file.resolve("out"), ALL,
                Progress.NONE)).isInstanceOf(IOException.class).hasMessageStartingWith("Cannot write to " + file);
        assertThat(asked).isEmpty();
    }

    @Test
    void masksWithLabelsBeyondTheClassesFail() throws Exception {
        Path a = image("a.png", 6, 4, 0);
        Report report = AnnotationExporter.export(List.of(a), this::maskFor, PromptSet.of("road", "car"), out,
                EnumSet.of(Format.PNG, Format.COCO), Progress.NONE);
        assertThat(report.exported()).isZero();
        assertThat(report.failed().get(0).reason()).contains("a.png").contains("label 2");
        assertThat(out.resolve("annotations.coco.json")).doesNotExist();
    }

    @Test
    void formatsParseFromACommaSeparatedList() {
        assertThat(Format.parse("png, COCO,overlay")).containsExactlyInAnyOrder(Format.PNG, Format.COCO,
                Format.OVERLAY);
        assertThat(Format.parse("coco")).containsExactly(Format.COCO);
        assertThatThrownBy(() -> Format.parse("png,gif")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gif'").hasMessageContaining("png, coco, overlay");
        assertThatThrownBy(() -> Format.parse(" , ")).isInstanceOf(IllegalArgumentException.class);
    }
}

package org.seglight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.TestSupport;
import org.seglight.io.CocoWriter;
import org.seglight.io.MaskWriter;
import org.seglight.model.Variant;
import picocli.CommandLine;

class CliTest {

    @TempDir
    Path dir;

    /** Runs the CLI in this JVM: exit code, standard output, standard error. */
    static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cli = new CommandLine(new SeglightCli());
            cli.setOut(new java.io.PrintWriter(System.out, true));
            cli.setErr(new java.io.PrintWriter(System.err, true));
            code = SeglightCli.run(cli, args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void modelInfoJsonHasTotals() {
        String[] r = run("model-info", "--preset", "lite", "--variant", "denseclip", "--classes", "11", "--size",
                "480x360", "--json");
        assertThat(r[0]).isEqualTo("0");
        JsonObject json = JsonParser.parseString(r[1]).getAsJsonObject();
        assertThat(json.get("parameters").getAsLong()).isGreaterThan(2_000_000L);
        assertThat(json.get("gmacs").getAsDouble()).isGreaterThan(1.0);
        assertThat(json.get("height").getAsInt()).isEqualTo(384);
    }

    @Test
    void badInputGivesOneLineAndANonZeroExit() {
        String[] r = run("model-info", "--size", "big");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2].strip()).startsWith("seglight: Size must look like 512x512").doesNotContain("\n");
        String[] missing = run("segment", "--model", dir.resolve("none.seglight").toString(), "--image",
                dir.resolve("none.png").toString(), "--out", dir.toString());
        assertThat(missing[0]).isEqualTo("1");
        assertThat(missing[2]).contains("not found");
    }

    private Path tinyModel() throws Exception {
        return TestSupport.tinyModelFile(dir.resolve("tiny.seglight"), Variant.DENSECLIP, "t");
    }

    /** learn + eval: the learned model's classes are the dataset's, in its order, and eval measures it. */
    @Test
    void learnWritesAModelOfTheDatasetsClassesThatEvalMeasures() throws Exception {
        Path data = Files.createDirectories(dir.resolve("field"));
        Files.createDirectories(data.resolve("images"));
        Files.createDirectories(data.resolve("labels"));
        Files.writeString(data.resolve("classes.csv"), "index,name\n0,soil\n1,Road\n");
        for (int i = 0; i < 2; i++) {
            BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
            byte[] labels = new byte[96 * 64];
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 96; x++) {
                    boolean road = x > 30 + 10 * i;
                    img.setRGB(x, y, road ? 0x505050 : 0x8a6a40);
                    labels[y * 96 + x] = (byte) (road ? 1 : 0);
                }
            }
            ImageIO.write(img, "png", data.resolve("images/f" + i + ".png").toFile());
            MaskWriter.writePng(MaskWriter.toIndexed(new org.seglight.mask.LabelMask(96, 64, labels),
                    new int[] {0x8a6a40, 0x505050}), data.resolve("labels/f" + i + ".png"));
        }
        Path out = dir.resolve("learned.seglight");
        String[] r = run("learn", "--model", "default", "--data", data.toString(), "--iterations", "0", "--out",
                out.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("Learned after 0 iterations", "1 classes keep their weights");
        assertThat(org.seglight.model.Checkpoint.read(out).prompts().names()).containsExactly("soil", "Road");
        String[] e = run("eval", "--model", out.toString(), "--data", data.toString());
        assertThat(e[0]).as(e[2]).isEqualTo("0");
        assertThat(e[1]).contains("soil", "Road");
        String[] bad = run("learn", "--data", data.toString(), "--minutes", "-1", "--out", out.toString());
        assertThat(bad[0]).isEqualTo("1");
        assertThat(bad[2]).contains("--minutes must be positive");
    }

    @Test
    void learnLeavesADamagedImageOutAndNamesItUnlessIncluded() throws Exception {
        Path data = Files.createDirectories(dir.resolve("cut-field"));
        Files.createDirectories(data.resolve("images"));
        Files.createDirectories(data.resolve("labels"));
        Files.writeString(data.resolve("classes.csv"), "index,name\n0,soil\n1,Road\n");
        ImageIO.write(new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB), "png",
                data.resolve("images/f0.png").toFile());
        MaskWriter.writePng(MaskWriter.toIndexed(new org.seglight.mask.LabelMask(96, 64, new byte[96 * 64]),
                new int[] {0x8a6a40, 0x505050}), data.resolve("labels/f0.png"));
        TestSupport.corpusFile("truncated.jpg", data.resolve("images/cut.jpg"));
        MaskWriter.writePng(MaskWriter.toIndexed(new org.seglight.mask.LabelMask(640, 480, new byte[640 * 480]),
                new int[] {0x8a6a40, 0x505050}), data.resolve("labels/cut.png"));
        Path out = dir.resolve("cut-learned.seglight");
        String[] r = run("learn", "--model", "default", "--data", data.toString(), "--iterations", "0", "--out",
                out.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("Leaving out cut: cut.jpg is truncated");
        assertThat(r[1]).contains("1 damaged image(s) left out (--include-damaged uses what was read): cut: "
                + "cut.jpg is truncated");
        assertThat(org.seglight.model.Checkpoint.read(out).card().data()).contains("1 images of cut-field: f0",
                "damaged, left out: cut");

        String[] in = run("learn", "--model", "default", "--data", data.toString(), "--iterations", "0",
                "--include-damaged", "--out", out.toString());
        assertThat(in[0]).as(in[2]).isEqualTo("0");
        assertThat(in[1]).contains("1 damaged image(s) learned from as read: cut: cut.jpg is truncated");
        assertThat(org.seglight.model.Checkpoint.read(out).card().data()).contains("2 images of cut-field",
                "damaged, used as read: cut");
    }

    @Test
    void segmentWritesAnIndexedMaskAnOverlayAndCoco() throws Exception {
        Path model = tinyModel();
        Path image = dir.resolve("street.png");
        ImageIO.write(new BufferedImage(90, 70, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
        String[] r = run("segment", "--model", model.toString(), "--image", image.toString(), "--out",
                dir.resolve("out").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("Segmented street.png in");
        var mask = MaskWriter.readIndexed(dir.resolve("out/masks/street.png"));
        assertThat(mask.width()).isEqualTo(90);
        assertThat(mask.histogram()[0] + mask.histogram()[1] + mask.histogram()[2]).isEqualTo(90 * 70);
        assertThat(dir.resolve("out/overlays/street.png")).isRegularFile();
        assertThat(CocoWriter.readMask(dir.resolve("out/annotations.coco.json"), "street.png")).isEqualTo(mask);
        assertThat(Files.readString(dir.resolve("out/classes.csv"))).startsWith("index,name,r,g,b,template\n0,road,");
    }

    @Test
    void aFolderRunFinishesTheRestReportsTheBadFileAndResumes() throws Exception {
        Path model = tinyModel();
        Path in = Files.createDirectories(dir.resolve("photos"));
        for (String name : new String[] {"a.png", "b.jpg", "c.png"}) {
            ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), name.endsWith("jpg") ? "jpg" : "png",
                    in.resolve(name).toFile());
        }
        Files.write(in.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Files.writeString(in.resolve("notes.txt"), "not an image");
        Path out = dir.resolve("batch");
        String[] r = run("segment", "--model", model.toString(), "--input", in.toString(), "--out", out.toString(),
                "--format", "coco");
        assertThat(r[0]).as("a failed image makes the exit code non-zero").isEqualTo("1");
        assertThat(r[1]).contains("3 segmented, 0 done by an earlier run, 1 failed").contains("FAILED broken.png");
        assertThat(r[2]).contains("[########################] 4/4");
        for (String stem : new String[] {"a", "b", "c"}) {
            assertThat(out.resolve("masks/" + stem + ".png")).isRegularFile();
        }
        assertThat(out.resolve("overlays")).doesNotExist();
        var b = MaskWriter.readIndexed(out.resolve("masks/b.png"));
        // A second run redoes nothing that is done, and its COCO file still holds every image.
        Files.delete(in.resolve("broken.png"));
        Files.delete(out.resolve("masks/c.png"));
        String[] again = run("segment", "--model", model.toString(), "--input", in.toString(), "--out",
                out.toString(), "--format", "png,coco");
        assertThat(again[0]).as(again[2]).isEqualTo("0");
        assertThat(again[1]).contains("1 segmented, 2 done by an earlier run, 0 failed");
        assertThat(CocoWriter.readMask(out.resolve("annotations.coco.json"), "b.jpg")).isEqualTo(b);
        assertThat(CocoWriter.readMask(out.resolve("annotations.coco.json"), "c.png").width()).isEqualTo(64);
    }

    @Test
    void aFolderRunLeavesADamagedImageOutAndNamesIt() throws Exception {
        Path model = tinyModel();
        Path in = Files.createDirectories(dir.resolve("shots"));
        ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "png", in.resolve("a.png").toFile());
        TestSupport.corpusFile("truncated.jpg", in.resolve("cut.jpg"));
        Path out = dir.resolve("shots-out");
        String[] r = run("segment", "--model", model.toString(), "--input", in.toString(), "--out", out.toString(),
                "--format", "png,coco");
        assertThat(r[0]).as("an image not exported makes the exit code non-zero").isEqualTo("1");
        assertThat(r[1]).contains("1 segmented", "LEFT OUT (damaged; --include-damaged segments what was read)"
                + " cut.jpg: cut.jpg is truncated", "only part of it could be read");
        assertThat(out.resolve("masks/a.png")).isRegularFile();
        assertThat(out.resolve("masks/cut.png")).doesNotExist();
        assertThat(Files.readString(out.resolve("images.txt"))).doesNotContain("cut");
        // Confirmed: what was read is segmented, at the file's size.
        String[] confirmed = run("segment", "--model", model.toString(), "--input", in.toString(), "--out",
                out.toString(), "--format", "png", "--include-damaged");
        assertThat(confirmed[0]).as(confirmed[1] + confirmed[2]).isEqualTo("0");
        assertThat(MaskWriter.readIndexed(out.resolve("masks/cut.png")).width()).isEqualTo(640);
    }

    /**
     * export-onnx writes graphs that ONNX Runtime loads on its own, with the documented inputs and outputs; the
     * two engines give the same mask from the CLI; an unknown engine and a GPU this build cannot use are refused.
     */
    @Test
    void exportOnnxWritesGraphsAnyRuntimeLoadsAndBothEnginesGiveTheSameMask() throws Exception {
        Path model = tinyModel();
        Path onnx = dir.resolve("onnx");
        assertThat(SeglightCli.isCommand("export-onnx")).as("the launcher runs it as a command, not as a file to open")
                .isTrue();
        String[] r = run("export-onnx", "--model", model.toString(), "--out", onnx.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("encoder.onnx", "decoder.onnx", "classes.json (3 classes)");
        assertThat(Files.readString(onnx.resolve("source.sha256")).strip())
                .isEqualTo(org.seglight.inference.OnnxGraphCache.key(model));
        ai.djl.engine.Engine.getEngine("OnnxRuntime");
        ai.onnxruntime.OrtEnvironment env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        try (var enc = env.createSession(onnx.resolve("encoder.onnx").toString());
                var dec = env.createSession(onnx.resolve("decoder.onnx").toString())) {
            assertThat(enc.getInputNames()).containsExactly("image");
            assertThat(enc.getOutputNames()).containsExactly("c2", "c3", "c4", "top");
            assertThat(dec.getInputNames()).containsExactlyInAnyOrder("c2", "c3", "c4", "top", "text");
            assertThat(dec.getOutputNames()).containsExactly("logits", "s0", "s");
        }
        JsonObject classes = JsonParser.parseString(Files.readString(onnx.resolve("classes.json"))).getAsJsonObject();
        assertThat(classes.getAsJsonArray("classes")).hasSize(3);
        assertThat(classes.getAsJsonArray("classes").get(1).getAsJsonObject().get("name").getAsString())
                .isEqualTo("sky");

        Path image = dir.resolve("noise.png");
        BufferedImage img = new BufferedImage(100, 70, BufferedImage.TYPE_INT_RGB);
        java.util.Random rnd = new java.util.Random(4);
        for (int y = 0; y < 70; y++) {
            for (int x = 0; x < 100; x++) {
                img.setRGB(x, y, rnd.nextInt(0x1000000));
            }
        }
        ImageIO.write(img, "png", image.toFile());
        for (String engine : new String[] {"onnx", "pytorch"}) {
            String[] s = run("segment", "--model", model.toString(), "--image", image.toString(), "--out",
                    dir.resolve(engine).toString(), "--engine", engine, "--format", "png");
            assertThat(s[0]).as(s[2]).isEqualTo("0");
            assertThat(s[2]).contains(engine.equals("onnx") ? "ONNX Runtime" : "PyTorch (DJL)");
        }
        assertThat(MaskWriter.readIndexed(dir.resolve("onnx/masks/noise.png")))
                .isEqualTo(MaskWriter.readIndexed(dir.resolve("pytorch/masks/noise.png")));
        String[] bad = run("segment", "--model", model.toString(), "--image", image.toString(), "--out",
                dir.resolve("x").toString(), "--engine", "tensorflow");
        assertThat(bad[0]).isEqualTo("1");
        assertThat(bad[2]).contains("Engine must be onnx or pytorch, got 'tensorflow'");
        if (!ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA)) {
            String[] gpu = run("segment", "--model", model.toString(), "--image", image.toString(), "--out",
                    dir.resolve("x").toString(), "--device", "gpu");
            assertThat(gpu[0]).isEqualTo("1");
            assertThat(gpu[2]).contains("A GPU was asked for, but this build of Seglight carries the CPU-only ONNX"
                    + " Runtime");
        }
    }
}

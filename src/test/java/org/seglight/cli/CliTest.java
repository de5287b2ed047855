package org.seglight.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
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
import org.seglight.io.MaskWriter;
import org.seglight.model.Checkpoint;
import org.seglight.model.ModelCard;
import org.seglight.model.SeglightNetwork;
import org.seglight.model.Variant;
import org.seglight.text.PromptSet;
import picocli.CommandLine;

class CliTest {

    @TempDir
    Path dir;

    private static String[] run(String... args) {
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

    @Test
    void segmentWritesAnIndexedMaskAndAnOverlay() throws Exception {
        Path model = dir.resolve("tiny.seglight");
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SeglightNetwork net = new SeglightNetwork(TestSupport.tiny(Variant.DENSECLIP), m.newSubManager())) {
            float[][] emb = new float[3][32];
            for (int k = 0; k < 3; k++) {
                emb[k][k] = 1;
            }
            Checkpoint.save(model, net, PromptSet.of("road", "sky", "car"), "test", emb, ModelCard.untrained("t", false));
        }
        Path image = dir.resolve("street.png");
        ImageIO.write(new BufferedImage(90, 70, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
        String[] r = run("segment", "--model", model.toString(), "--image", image.toString(), "--out",
                dir.resolve("out").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("Segmented street.png (90x70, 3 classes) in");
        var mask = MaskWriter.readIndexed(dir.resolve("out/street_mask.png"));
        assertThat(mask.width()).isEqualTo(90);
        assertThat(mask.histogram()[0] + mask.histogram()[1] + mask.histogram()[2]).isEqualTo(90 * 70);
        assertThat(Files.exists(dir.resolve("out/street_overlay.png"))).isTrue();
    }
}

package org.seglight.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A text encoder configured from user files (as a CLIP text tower would be) runs with no code change. */
class GenericTextEncoderTest {

    @TempDir
    static Path dir;

    private static Path extract(String resource) throws Exception {
        Path out = dir.resolve(resource.substring(1));
        try (InputStream in = GenericTextEncoderTest.class.getResourceAsStream(resource)) {
            Files.copy(in, out);
        }
        return out;
    }

    @Test
    void userFilesGiveTheSameEmbeddingsAsTheBuiltInEncoder() throws Exception {
        Path onnx = Files.exists(dir.resolve("all-minilm-l6-v2-q.onnx")) ? dir.resolve("all-minilm-l6-v2-q.onnx")
                : extract("/all-minilm-l6-v2-q.onnx");
        Path tokenizer = extract("/all-minilm-l6-v2-q-tokenizer.json");
        List<String> prompts = List.of("a photo of a pole.", "a photo of a pavement.");
        TextEncoderSpec mean = new TextEncoderSpec("minilm-files", onnx, tokenizer,
                List.of("input_ids", "attention_mask", "token_type_ids"), Pooling.MEAN, true, 77);
        TextEncoderSpec cls = new TextEncoderSpec("minilm-cls", onnx, tokenizer,
                List.of("input_ids", "attention_mask", "token_type_ids"), Pooling.CLS, true, 77);
        try (TransformerTextEncoder builtIn = TransformerTextEncoder.miniLm();
                TransformerTextEncoder fromFiles = TransformerTextEncoder.fromFiles(mean);
                TransformerTextEncoder first = TransformerTextEncoder.fromFiles(cls)) {
            float[][] a = builtIn.embed(prompts);
            float[][] b = fromFiles.embed(prompts);
            for (int i = 0; i < a.length; i++) {
                for (int c = 0; c < a[i].length; c++) {
                    assertThat(b[i][c]).isCloseTo(a[i][c], org.assertj.core.api.Assertions.within(1e-5f));
                }
            }
            assertThat(fromFiles.id()).isEqualTo("minilm-files");
            assertThat(first.embed(prompts)[0]).isNotEqualTo(a[0]);
            assertThat(first.dimension()).isEqualTo(384);
        }
    }

    @Test
    void missingFilesAndBadInputNamesAreReported() {
        assertThatThrownBy(() -> TransformerTextEncoder.fromFiles(new TextEncoderSpec("x", dir.resolve("none.onnx"),
                dir.resolve("tokenizer.json"), List.of("input_ids"), Pooling.EOT, false, 77)))
                .hasMessageContaining("not found");
        assertThatThrownBy(() -> new TextEncoderSpec("x", dir.resolve("a.onnx"), dir.resolve("t.json"),
                List.of("pixel_values"), Pooling.MEAN, true, 77)).hasMessageContaining("pixel_values");
    }
}

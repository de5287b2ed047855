package org.seglight.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.TestSupport;
import org.seglight.text.PromptSet;

class CheckpointTest {

    @TempDir
    Path dir;

    private static final PromptSet PROMPTS = PromptSet.of("road", "sky", "car");

    private static float[][] embeddings() {
        float[][] e = new float[3][32];
        for (int k = 0; k < 3; k++) {
            for (int c = 0; c < 32; c++) {
                e[k][c] = (float) Math.sin(k * 32 + c);
            }
        }
        return e;
    }

    private Path saveTiny(Variant variant) throws Exception {
        Path file = dir.resolve("tiny-" + variant + ".seglight");
        Engine.getEngine("PyTorch").setRandomSeed(7);
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SeglightNetwork net = new SeglightNetwork(TestSupport.tiny(variant), m.newSubManager())) {
            Checkpoint.save(file, net, PROMPTS, "test-encoder", variant.usesText() ? embeddings() : new float[0][],
                    ModelCard.untrained("tiny", false));
        }
        return file;
    }

    @Test
    void saveThenLoadGivesBitIdenticalOutputs() throws Exception {
        ModelConfig config = TestSupport.tiny(Variant.CONVFORMER);
        Path file = dir.resolve("m.seglight");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray image = m.randomNormal(new Shape(1, 3, 64, 96));
            NDArray text = TextEmbeddings.toArray(m, embeddings());
            float[] before;
            try (SeglightNetwork net = new SeglightNetwork(config, m.newSubManager())) {
                before = net.forward(image, text, false, true).logits().toFloatArray();
                Checkpoint.save(file, net, PROMPTS, "test-encoder", embeddings(), ModelCard.untrained("t", false));
            }
            try (Checkpoint.Loaded loaded = Checkpoint.load(file, m.newSubManager())) {
                assertThat(loaded.network().config()).isEqualTo(config);
                assertThat(loaded.contents().prompts()).isEqualTo(PROMPTS);
                assertThat(loaded.contents().textEmbeddings()).isDeepEqualTo(embeddings());
                float[] after = loaded.network().forward(image, text, false, true).logits().toFloatArray();
                assertThat(after).containsExactly(before);
            }
        }
    }

    @Test
    void corruptFileIsRefusedWithAClearMessage() throws Exception {
        Path file = saveTiny(Variant.CONVFORMER);
        byte[] bytes = Files.readAllBytes(file);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 64; i++) {
            bytes[i] ^= 0x5a;
        }
        Path corrupt = dir.resolve("corrupt.seglight");
        Files.write(corrupt, bytes);
        assertThatThrownBy(() -> Checkpoint.read(corrupt)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("corrupt.seglight");
    }

    @Test
    void truncatedFileIsRefused() throws Exception {
        Path file = saveTiny(Variant.FPN);
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.seglight");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> Checkpoint.read(truncated)).isInstanceOf(InvalidModelException.class)
                .hasMessageMatching(".*(truncated|incomplete|corrupt).*");
    }

    @Test
    void otherFilesAreRefused() throws Exception {
        Path text = dir.resolve("notes.seglight");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> Checkpoint.read(text)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("not a Seglight model file");
        assertThatThrownBy(() -> Checkpoint.read(dir.resolve("missing.seglight")))
                .hasMessageContaining("not found");
    }

    @Test
    void weightsThatDoNotFitTheConfigAreRefusedByName() throws Exception {
        Path file = saveTiny(Variant.CONVFORMER);
        Checkpoint.Contents c = Checkpoint.read(file);
        var weights = new java.util.LinkedHashMap<>(c.weights());
        weights.remove("units.1.f2c.v.bias");
        Path broken = dir.resolve("broken.seglight");
        Checkpoint.save(broken, new Checkpoint.Contents(c.config(), weights, c.prompts(), c.textEncoderId(),
                c.textEmbeddings(), c.card()));
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            assertThatThrownBy(() -> Checkpoint.load(broken, m.newSubManager()))
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining("missing units.1.f2c.v.bias");
        }
    }
}

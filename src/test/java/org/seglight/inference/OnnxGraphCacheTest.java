package org.seglight.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.TestSupport;
import org.seglight.model.Checkpoint;
import org.seglight.model.Variant;

/** Graphs are written once per model file and reused; another file (even one byte) gets graphs of its own. */
class OnnxGraphCacheTest {

    @TempDir
    Path dir;

    private Path model(String name, long seed) throws Exception {
        ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        return TestSupport.tinyModelFile(dir.resolve(name), Variant.CONVFORMER, name);
    }

    @Test
    void aModelOpenedAgainReusesItsGraphsAndAnotherModelGetsItsOwn() throws Exception {
        Path a = model("a.seglight", 1);
        Path b = model("b.seglight", 2);
        OnnxGraphCache.Graphs first = OnnxGraphCache.graphs(a, Checkpoint.read(a));
        OnnxGraphCache.Graphs again = OnnxGraphCache.graphs(a, Checkpoint.read(a));
        OnnxGraphCache.Graphs other = OnnxGraphCache.graphs(b, Checkpoint.read(b));
        assertThat(first.cached()).as("a model seen the first time is built").isFalse();
        assertThat(again.cached()).as("the same file again comes from the cache").isTrue();
        assertThat(again.encoder()).isEqualTo(first.encoder());
        assertThat(again.decoder()).isEqualTo(first.decoder());
        assertThat(other.cached()).isFalse();
        assertThat(other.decoder()).isNotEqualTo(first.decoder());
        assertThat(OnnxGraphCache.root()).isDirectory();
        // The cached graphs segment as freshly built ones do.
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(70, 50,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.util.Random r = new java.util.Random(3);
        for (int y = 0; y < 50; y++) {
            for (int x = 0; x < 70; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        try (Segmenter s = Segmenter.open(a, DevicePolicy.CPU, InferenceEngine.ONNX);
                Segmenter p = Segmenter.open(a, DevicePolicy.CPU, InferenceEngine.PYTORCH)) {
            assertThat(s.segment(img, s.defaultPrompts()).mask()).isEqualTo(p.segment(img, p.defaultPrompts()).mask());
        }
        assertThat(Files.list(OnnxGraphCache.root()).count()).isGreaterThanOrEqualTo(2);
    }

    /** A damaged cache entry is built again, and the model still runs on ONNX Runtime. */
    @Test
    void aDamagedCacheEntryIsRebuiltNotFallenBackFrom() throws Exception {
        Path a = model("damaged.seglight", 7);
        OnnxGraphCache.graphs(a, Checkpoint.read(a));
        Path entry;
        try (var s = Files.list(OnnxGraphCache.root())) {
            entry = s.max(java.util.Comparator.comparing(p -> {
                try {
                    return Files.getLastModifiedTime(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            })).orElseThrow();
        }
        byte[] enc = Files.readAllBytes(entry.resolve("encoder.onnx"));
        Files.write(entry.resolve("encoder.onnx"), java.util.Arrays.copyOf(enc, enc.length / 3));
        try (Segmenter s = Segmenter.open(a, DevicePolicy.CPU, InferenceEngine.ONNX)) {
            assertThat(s.deviceDescription()).startsWith("ONNX Runtime");
        }
        assertThat(Files.readAllBytes(entry.resolve("encoder.onnx"))).isEqualTo(enc);
    }

    /** Graphs beside a model (as the installers ship the default model's) are used when written for that file. */
    @Test
    void graphsBesideTheModelAreUsedOnlyWhenWrittenForThatFile() throws Exception {
        // A name of its own each run: the user cache (target/user-data) outlives runs, and must not hold this file.
        Path a = model("beside-" + System.nanoTime() + ".seglight", 9);
        OnnxGraphCache.Graphs built = OnnxGraphCache.build(a, Checkpoint.read(a));
        Path dir = Files.createDirectories(OnnxGraphCache.besideModel(a));
        assertThat(dir.getFileName().toString()).isEqualTo(a.getFileName() + ".onnx");
        Files.write(dir.resolve("encoder.onnx"), built.encoder());
        Files.write(dir.resolve("decoder.onnx"), built.decoder());
        Files.writeString(dir.resolve("source.sha256"), OnnxGraphCache.key(a) + "\n");
        OnnxGraphCache.Graphs g = OnnxGraphCache.graphs(a, Checkpoint.read(a));
        assertThat(g.cached()).isTrue();
        assertThat(g.decoder()).isEqualTo(built.decoder());
        Files.writeString(dir.resolve("source.sha256"), "0".repeat(64) + "\n");
        assertThat(OnnxGraphCache.graphs(a, Checkpoint.read(a)).cached())
                .as("graphs written for another file are not used").isFalse();
    }

    @Test
    void onlyTheMostRecentlyUsedEntriesAreKept() throws Exception {
        Path root = java.nio.file.Files.createDirectories(dir.resolve("cache"));
        for (int i = 0; i < 5; i++) {
            Path e = Files.createDirectories(root.resolve("entry" + i));
            Files.write(e.resolve("encoder.onnx"), new byte[] {1});
            Files.setLastModifiedTime(e, java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        OnnxGraphCache.prune(root, 3);
        try (var s = Files.list(root)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("entry2", "entry3",
                    "entry4");
        }
    }
}

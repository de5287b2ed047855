package org.seglight;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.seglight.model.Checkpoint;
import org.seglight.model.ModelCard;
import org.seglight.model.ModelConfig;
import org.seglight.model.SeglightNetwork;
import org.seglight.model.Variant;
import org.seglight.text.PromptSet;

/** Shared test fixtures: tiny configs and model files, and the optional ../shared folder. */
public final class TestSupport {

    /** The ../shared folder when it is there (CI has it; a fresh clone may not). */
    public static Optional<Path> shared() {
        String prop = System.getProperty("seglight.shared", "../shared");
        Path p = Path.of(prop).toAbsolutePath().normalize();
        return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }

    /** A small network of the given variant: C=32, K=3, 2 units, FPN width 16, 64×64 windows. */
    public static ModelConfig tiny(Variant variant) {
        return new ModelConfig(variant, 32, variant.hasUnits() ? 2 : 0, 2, 4, 2, 2, 16, 16, 3, 0.1f, 0.07f, 0.4f,
                64, 64, 1e-5f, 0.1f);
    }

    /**
     * Writes an untrained {@link #tiny} model of the variant to {@code file}: classes road, sky and car with
     * one-hot text embeddings, its card named {@code name} (the card's time stamp makes every file unique).
     */
    public static Path tinyModelFile(Path file, Variant variant, String name) throws Exception {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SeglightNetwork net = new SeglightNetwork(tiny(variant), m.newSubManager())) {
            float[][] emb = new float[3][32];
            for (int k = 0; k < 3; k++) {
                emb[k][k] = 1;
            }
            Checkpoint.save(file, net, PromptSet.of("road", "sky", "car"), "test", emb,
                    ModelCard.untrained(name, false));
        }
        return file;
    }

    /**
     * A file of the image corpus (src/test/resources/org/seglight/io/corpus: truncated.jpg, truncated.png,
     * pages.tif, ...) copied to {@code target}, which may be renamed so.
     */
    public static Path corpusFile(String name, Path target) throws java.io.IOException {
        try (var in = TestSupport.class.getResourceAsStream("/org/seglight/io/corpus/" + name)) {
            if (in == null) {
                throw new java.io.FileNotFoundException("corpus/" + name + " is not on the test class path");
            }
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private TestSupport() {}
}

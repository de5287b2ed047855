package org.seglight;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.seglight.model.ModelConfig;
import org.seglight.model.Variant;

/** Shared test fixtures: tiny configs and the optional ../shared folder. */
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

    private TestSupport() {}
}

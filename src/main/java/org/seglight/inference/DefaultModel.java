package org.seglight.inference;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the shipped default model: {@code models/default.seglight} beside the installation (the jar's folder
 * or its parent), in the working directory, or where {@code -Dseglight.models} points.
 */
public final class DefaultModel {

    public static final String FILE_NAME = "default.seglight";

    public static Optional<Path> locate() {
        return candidates().stream().filter(Files::isRegularFile).findFirst();
    }

    /** The places searched, in order, for messages. */
    public static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String prop = System.getProperty("seglight.models");
        if (prop != null) {
            out.add(Path.of(prop).resolve(FILE_NAME));
        }
        try {
            Path code = Path.of(DefaultModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = Files.isDirectory(code) ? code : code.getParent();
            for (Path d = dir; d != null && out.size() < 6; d = d.getParent()) {
                out.add(d.resolve("models").resolve(FILE_NAME));
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source: rely on the working directory
        }
        out.add(Path.of("models", FILE_NAME).toAbsolutePath());
        return out;
    }

    private DefaultModel() {}
}

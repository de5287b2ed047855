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
    /** The ImageNet encoder without a decoder, that learning a new domain starts from (models/README.md). */
    public static final String IMAGENET_BASE = "imagenet-base.seglight";

    public static Optional<Path> locate() {
        return locate(FILE_NAME);
    }

    /** A shipped model file by name, looked for where the default model is. */
    public static Optional<Path> locate(String fileName) {
        return candidates(fileName).stream().filter(Files::isRegularFile).findFirst();
    }

    /** The places searched, in order, for messages. */
    public static List<Path> candidates() {
        return candidates(FILE_NAME);
    }

    public static List<Path> candidates(String fileName) {
        List<Path> out = new ArrayList<>();
        String prop = System.getProperty("seglight.models");
        if (prop != null) {
            out.add(Path.of(prop).resolve(fileName));
        }
        try {
            Path code = Path.of(DefaultModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = Files.isDirectory(code) ? code : code.getParent();
            for (Path d = dir; d != null && out.size() < 6; d = d.getParent()) {
                out.add(d.resolve("models").resolve(fileName));
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source: rely on the working directory
        }
        out.add(Path.of("models", fileName).toAbsolutePath());
        return out;
    }

    private DefaultModel() {}
}

package org.seglight.ui.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.seglight.io.UserDirs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The images and folders opened lately, newest first, kept in a small text file in the user's folder. */
public final class RecentFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RecentFiles.class);
    private static final int MAX = 10;

    private final Path file;

    public RecentFiles(Path file) {
        this.file = file;
    }

    /** {@code recent.txt} in the per-user data folder ({@link UserDirs#data()}). */
    public static RecentFiles inUserFolder() {
        return new RecentFiles(UserDirs.data().resolve("recent.txt"));
    }

    /** Entries that still exist, newest first. */
    public List<Path> list() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                    .map(Path::of).filter(Files::exists).limit(MAX).toList();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot read the recent files list {}", file, e);
            return List.of();
        }
    }

    /** Puts a path first; a list that cannot be written is only logged (it is a convenience). */
    public void add(Path path) {
        List<Path> items = new ArrayList<>(list());
        Path abs = path.toAbsolutePath().normalize();
        items.remove(abs);
        items.addFirst(abs);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, items.stream().limit(MAX).map(Path::toString).toList(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("Cannot write the recent files list {}", file, e);
        }
    }
}

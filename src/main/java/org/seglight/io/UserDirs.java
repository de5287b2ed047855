package org.seglight.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Seglight keeps per-user data (the autosave fallback for read-only image folders, the recent-files
 * list), in the folder each system expects:
 * <ul>
 *   <li>Linux and other Unix: {@code $XDG_DATA_HOME/seglight}, or {@code ~/.local/share/seglight} when
 *       {@code XDG_DATA_HOME} is unset or not absolute (XDG Base Directory specification);</li>
 *   <li>Windows: {@code %APPDATA%\Seglight} ({@code ~\AppData\Roaming\Seglight} when unset);</li>
 *   <li>macOS: {@code ~/Library/Application Support/Seglight}.</li>
 * </ul>
 * The system property {@code seglight.data} overrides all of them (a portable install, tests). Earlier
 * versions used {@code ~/.local/share/seglight} everywhere: when that folder exists and the new one does not,
 * it is moved there once; when it cannot be moved it stays in use, so no autosaved edit is ever left behind.
 */
public final class UserDirs {

    private static final Logger LOG = LoggerFactory.getLogger(UserDirs.class);
    private static volatile Path resolved;

    private UserDirs() {}

    /** This user's data folder on this machine (created on first use by whoever writes into it). */
    public static Path data() {
        Path p = resolved;
        if (p == null) {
            synchronized (UserDirs.class) {
                p = resolved;
                if (p == null) {
                    String override = System.getProperty("seglight.data");
                    Path home = Path.of(System.getProperty("user.home"));
                    p = override != null && !override.isBlank() ? Path.of(override)
                            : adopt(legacy(home), data(System.getProperty("os.name", ""), System.getenv(), home));
                    resolved = p;
                }
            }
        }
        return p;
    }

    /** The data folder for a system named {@code osName} (as {@code os.name} says it), an environment and a home. */
    static Path data(String osName, Map<String, String> env, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            Path appData = absolute(env.get("APPDATA"));
            return (appData != null ? appData : home.resolve("AppData").resolve("Roaming")).resolve("Seglight");
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return home.resolve("Library").resolve("Application Support").resolve("Seglight");
        }
        Path xdg = absolute(env.get("XDG_DATA_HOME"));
        return (xdg != null ? xdg : home.resolve(".local").resolve("share")).resolve("seglight");
    }

    /** Where every version before this one kept the data. */
    static Path legacy(Path home) {
        return home.resolve(".local").resolve("share").resolve("seglight");
    }

    /**
     * The folder to use: {@code target}, after moving {@code legacy} there when only the legacy folder exists;
     * {@code legacy} itself when it cannot be moved (its contents stay reachable).
     */
    static Path adopt(Path legacy, Path target) {
        Path from = legacy.toAbsolutePath().normalize();
        Path to = target.toAbsolutePath().normalize();
        if (from.equals(to) || Files.exists(to) || !Files.isDirectory(from)) {
            return to;
        }
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Moved Seglight's per-user data from {} to {}", from, to);
            return to;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot move Seglight's per-user data from {} to {}; it stays in {}", from, to, from, e);
            return from;
        }
    }

    private static Path absolute(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Path p = Path.of(value);
            return p.isAbsolute() ? p : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}

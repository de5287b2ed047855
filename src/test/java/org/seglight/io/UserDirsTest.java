package org.seglight.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDirsTest {

    private static final Path HOME = Path.of("/home/ada");

    @Test
    void linuxFollowsXdgDataHomeAndFallsBackToLocalShare() {
        assertThat(UserDirs.data("Linux", Map.of("XDG_DATA_HOME", "/data/ada"), HOME))
                .isEqualTo(Path.of("/data/ada/seglight"));
        assertThat(UserDirs.data("Linux", Map.of(), HOME)).isEqualTo(Path.of("/home/ada/.local/share/seglight"));
        // The XDG spec says a relative path is invalid and must be ignored; so is an empty one.
        assertThat(UserDirs.data("Linux", Map.of("XDG_DATA_HOME", "rel/dir"), HOME))
                .isEqualTo(Path.of("/home/ada/.local/share/seglight"));
        assertThat(UserDirs.data("FreeBSD", Map.of("XDG_DATA_HOME", ""), HOME))
                .isEqualTo(Path.of("/home/ada/.local/share/seglight"));
    }

    @Test
    void windowsUsesAppDataAndMacApplicationSupport() {
        // Paths are built with this machine's separator; the rule, not the spelling, is what is checked.
        assertThat(UserDirs.data("Windows 11", Map.of("APPDATA", "/roaming/ada"), HOME))
                .isEqualTo(Path.of("/roaming/ada/Seglight"));
        assertThat(UserDirs.data("Windows 10", Map.of(), HOME))
                .isEqualTo(Path.of("/home/ada/AppData/Roaming/Seglight"));
        assertThat(UserDirs.data("Mac OS X", Map.of("XDG_DATA_HOME", "/data/ada"), HOME))
                .isEqualTo(Path.of("/home/ada/Library/Application Support/Seglight"));
    }

    @Test
    void earlierDataMovesOnceAndIsNeverLeftBehind(@TempDir Path tmp) throws Exception {
        Path legacy = tmp.resolve("home/.local/share/seglight");
        Files.createDirectories(legacy.resolve("autosave/abc"));
        Files.writeString(legacy.resolve("autosave/abc/img.json"), "{}");
        Path target = tmp.resolve("home/Library/Application Support/Seglight");

        assertThat(UserDirs.adopt(legacy, target)).isEqualTo(target);
        assertThat(target.resolve("autosave/abc/img.json")).hasContent("{}");
        assertThat(legacy).doesNotExist();

        // Both exist: the new folder is used and the old one left alone.
        Files.createDirectories(legacy);
        assertThat(UserDirs.adopt(legacy, target)).isEqualTo(target);
        assertThat(legacy).exists();

        // The same folder (Linux without XDG_DATA_HOME): nothing to do.
        assertThat(UserDirs.adopt(target, target)).isEqualTo(target);
    }

    @Test
    void dataThatCannotMoveStaysInUse(@TempDir Path tmp) throws Exception {
        Path legacy = tmp.resolve("old");
        Files.createDirectories(legacy);
        Files.writeString(legacy.resolve("recent.txt"), "/x");
        // The target's parent is a file, so the move must fail; the old folder stays the one in use.
        Files.writeString(tmp.resolve("blocked"), "");
        Path target = tmp.resolve("blocked/Seglight");

        assertThat(UserDirs.adopt(legacy, target)).isEqualTo(legacy.toAbsolutePath().normalize());
        assertThat(legacy.resolve("recent.txt")).hasContent("/x");
    }
}

package org.seglight.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.cli.SeglightCli;

/** What the launcher refuses before opening a window: typos for commands, missing files, no display. */
class LaunchCheckTest {

    private static final Map<String, String> X = Map.of("DISPLAY", ":0");

    @Test
    void aTypoForACommandIsAnUnknownCommandWithTheListAndTheNearestOne(@TempDir Path dir) {
        List<String> commands = SeglightCli.commandNames();
        assertThat(commands).contains("learn", "segment", "train").doesNotContain("--help");
        String said = LaunchCheck.refusal(new String[] {"lern"}, commands, X, "Linux", Files::exists).orElseThrow();
        assertThat(said).startsWith("seglight: unknown command 'lern' (did you mean 'learn'?)")
                .contains("Commands: ", "segment", "train", "seglight --help");
        assertThat(LaunchCheck.refusal(new String[] {"zzzzzzzz"}, commands, X, "Linux", Files::exists).orElseThrow())
                .startsWith("seglight: unknown command 'zzzzzzzz', and no file");
        assertThat(LaunchCheck.nearest("SEGMNET", commands)).isEqualTo("segment");
    }

    @Test
    void existingFilesAndFoldersOpenAndMissingOnesAreNamed(@TempDir Path dir) throws Exception {
        Path image = Files.writeString(dir.resolve("lern"), "x"); // a file may be called like a typo
        assertThat(LaunchCheck.refusal(new String[] {image.toString(), dir.toString()}, List.of("learn"), X, "Linux",
                Files::exists)).isEmpty();
        assertThat(LaunchCheck.refusal(new String[] {dir.resolve("gone.jpg").toString()}, List.of("learn"), X,
                "Linux", Files::exists)).hasValue("seglight: " + dir.resolve("gone.jpg")
                        + " does not exist (no such file or folder): nothing to open");
        assertThat(LaunchCheck.refusal(new String[0], List.of("learn"), X, "Linux", Files::exists)).isEmpty();
    }

    @Test
    void withoutADisplayTheAppPointsToTheCommandLine() {
        String said = LaunchCheck.refusal(new String[0], List.of("segment"), Map.of(), "Linux", p -> true)
                .orElseThrow();
        assertThat(said).contains("needs a display", "DISPLAY is not set", "seglight segment --input DIR");
        assertThat(LaunchCheck.refusal(new String[0], List.of("segment"), Map.of("DISPLAY", " "), "Linux", p -> true))
                .isPresent();
        assertThat(LaunchCheck.refusal(new String[0], List.of("segment"), Map.of(), "Windows 11", p -> true))
                .isEmpty();
    }
}

package org.seglight.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native heap settings for training: when the entry point starts itself again, and that it really does. */
class NativeHeapTest {

    private static final String LINUX = "Linux";

    @Test
    void trainingCommandsAndTheAppRelaunchOnLinuxWithGlibc() {
        Map<String, String> env = Map.of("PATH", "/usr/bin");
        for (String cmd : List.of("train", "learn", "bench")) {
            Optional<Map<String, String>> add = NativeHeap.relaunchEnv(new String[] {cmd, "--data", "d"}, false,
                    env, LINUX, true);
            assertThat(add).as(cmd).isPresent();
            assertThat(add.get()).containsEntry("MALLOC_ARENA_MAX", "1").containsEntry("MALLOC_MMAP_MAX_", "0")
                    .containsEntry(NativeHeap.SWITCH, "kept");
        }
        assertThat(NativeHeap.relaunchEnv(new String[] {"photo.jpg"}, true, env, LINUX, true)).isPresent();
    }

    @Test
    void otherCommandsOtherSystemsAndUserChoicesRunAsTheyAre() {
        Map<String, String> env = Map.of();
        String[] train = {"train", "--config", "c.json"};
        assertThat(NativeHeap.relaunchEnv(new String[] {"segment", "--image", "a.png"}, false, env, LINUX, true))
                .as("inference does not allocate per step like training").isEmpty();
        assertThat(NativeHeap.relaunchEnv(new String[] {"train", "--help"}, false, env, LINUX, true)).isEmpty();
        assertThat(NativeHeap.relaunchEnv(train, false, env, "Windows 11", true)).isEmpty();
        assertThat(NativeHeap.relaunchEnv(train, false, env, "Mac OS X", true)).isEmpty();
        assertThat(NativeHeap.relaunchEnv(train, false, env, LINUX, false)).as("musl").isEmpty();
        assertThat(NativeHeap.relaunchEnv(train, false, Map.of(NativeHeap.SWITCH, "system"), LINUX, true))
                .as("turned off").isEmpty();
        assertThat(NativeHeap.relaunchEnv(train, false, Map.of(NativeHeap.SWITCH, "kept"), LINUX, true))
                .as("never twice").isEmpty();
        assertThat(NativeHeap.relaunchEnv(train, false, Map.of("MALLOC_ARENA_MAX", "4"), LINUX, true))
                .as("the user's own malloc settings stand").isEmpty();
    }

    @Test
    void thisLinuxJvmIsSeenAsGlibcAndItsCommandLineIsReadable() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux only");
        assumeTrue(Files.exists(Path.of("/lib/x86_64-linux-gnu/libc.so.6"))
                || Files.exists(Path.of("/lib/aarch64-linux-gnu/libc.so.6")), "a glibc system");
        assertThat(NativeHeap.isGlibc()).isTrue();
        assertThat(NativeHeap.currentCommand()).get().satisfies(c -> assertThat(c.get(0)).endsWith("java"));
    }

    @Test
    void theChildGetsTheSettingsSharesTheStreamsAndItsExitCodeComesBack(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("env.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-cp", System.getProperty("java.class.path"), PrintEnv.class.getName(),
                out.toString());
        Map<String, String> add = NativeHeap.relaunchEnv(new String[] {"train"}, false, Map.of(), LINUX, true)
                .orElseThrow();
        Map<String, String> withLauncher = new java.util.LinkedHashMap<>(add);
        withLauncher.put(NativeHeap.JPACKAGE_LAUNCHER, "set by a jpackage launcher"); // as if inherited
        int code = NativeHeap.run(cmd, withLauncher);
        assertThat(code).isEqualTo(7);
        assertThat(Files.readAllLines(out)).containsExactly("MALLOC_ARENA_MAX=1", "MALLOC_MMAP_MAX_=0",
                NativeHeap.SWITCH + "=kept", NativeHeap.JPACKAGE_LAUNCHER + "=null");
    }

    /** The child of the relaunch test: writes what it sees and exits with 7. */
    public static final class PrintEnv {
        public static void main(String[] args) throws IOException {
            Files.write(Path.of(args[0]), List.of("MALLOC_ARENA_MAX=" + System.getenv("MALLOC_ARENA_MAX"),
                    "MALLOC_MMAP_MAX_=" + System.getenv("MALLOC_MMAP_MAX_"),
                    NativeHeap.SWITCH + "=" + System.getenv(NativeHeap.SWITCH),
                    NativeHeap.JPACKAGE_LAUNCHER + "=" + System.getenv(NativeHeap.JPACKAGE_LAUNCHER)));
            System.exit(7);
        }
    }
}

package org.seglight.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How glibc's malloc serves libtorch while Seglight trains. A training step allocates and frees gigabytes of
 * activations and gradients; with glibc's defaults every block over 32 MB (and every block of a thread's
 * 64 MB arena) is a fresh {@code mmap} that the kernel zero-fills page by page, and freed memory goes back to
 * the system at once, so each iteration faults its whole working set in again. On the 2-core development
 * machine that was over half the time of a training step (batch 8, crop 384: about 7 s per iteration, of
 * which some 40 % system time, against 1.5-2 s once memory is kept). One arena with no mmap and no trimming
 * keeps the pages between iterations.
 *
 * <p>glibc reads these settings only when the process starts, so the entry point starts the same command
 * again with them set, waits for it and exits with its code ({@link #relaunchIfUseful}). Only on Linux with
 * glibc, only for what trains (the {@code train}, {@code learn} and {@code bench} commands and the desktop
 * app, which learns from corrections), never twice, and not when the user set any of them or
 * {@code SEGLIGHT_NATIVE_HEAP=system}. If the new process cannot be started, the command runs here as before.
 */
public final class NativeHeap {

    private static final Logger LOG = LoggerFactory.getLogger(NativeHeap.class);

    /** Set to {@code system} to keep glibc's own settings. */
    public static final String SWITCH = "SEGLIGHT_NATIVE_HEAP";
    /** The settings: one arena, no mmap, no trimming below 64 GB free, 256 MB of slack per heap growth. */
    static final Map<String, String> SETTINGS = settings();
    /** Set by jpackage's native launcher inside its own process; a child must not inherit it. */
    static final String JPACKAGE_LAUNCHER = "_JPACKAGE_LAUNCHER";
    /** The commands that train; the app (no command) also learns. */
    static final Set<String> TRAINING_COMMANDS = Set.of("train", "learn", "bench");

    private static Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("MALLOC_ARENA_MAX", "1");
        m.put("MALLOC_MMAP_MAX_", "0");
        m.put("MALLOC_TRIM_THRESHOLD_", "68719476736");
        m.put("MALLOC_TOP_PAD_", "268435456");
        return m;
    }

    private NativeHeap() {}

    /**
     * The environment to add for a relaunch, or empty when this process should run as it is.
     *
     * @param args the program's arguments
     * @param appMode whether these arguments open the desktop app (no command)
     * @param env this process's environment
     * @param osName {@code os.name}
     * @param glibc whether the C library is glibc
     */
    static Optional<Map<String, String>> relaunchEnv(String[] args, boolean appMode, Map<String, String> env,
            String osName, boolean glibc) {
        if (!osName.toLowerCase(java.util.Locale.ROOT).startsWith("linux") || !glibc) {
            return Optional.empty();
        }
        if ("system".equalsIgnoreCase(env.getOrDefault(SWITCH, "")) || "kept".equals(env.get(SWITCH))) {
            return Optional.empty(); // asked not to, or already relaunched
        }
        if (SETTINGS.keySet().stream().anyMatch(env::containsKey)) {
            return Optional.empty(); // the user tuned malloc: theirs stands
        }
        boolean trains = appMode || args.length > 0 && TRAINING_COMMANDS.contains(args[0])
                && List.of(args).stream().noneMatch(a -> a.equals("--help") || a.equals("-h"));
        if (!trains) {
            return Optional.empty();
        }
        Map<String, String> add = new LinkedHashMap<>(SETTINGS);
        add.put(SWITCH, "kept");
        return Optional.of(add);
    }

    /** One line for logs and benches on the native heap this process runs with. */
    public static String describe() {
        Map<String, String> env = System.getenv();
        if ("kept".equals(env.get(SWITCH))) {
            return "native heap: one glibc arena, pages kept between training steps (set by Seglight; "
                    + SWITCH + "=system turns it off)";
        }
        if (SETTINGS.keySet().stream().anyMatch(env::containsKey)) {
            return "native heap: glibc with the MALLOC_* settings of this environment";
        }
        return "native heap: the C library's defaults";
    }

    /**
     * Starts this program again with the native heap settings when that helps, and returns its exit code;
     * empty when this process should go on itself.
     */
    public static Optional<Integer> relaunchIfUseful(String[] args, boolean appMode) {
        Optional<Map<String, String>> add = relaunchEnv(args, appMode, System.getenv(),
                System.getProperty("os.name", ""), isGlibc());
        if (add.isEmpty()) {
            return Optional.empty();
        }
        Optional<List<String>> command = currentCommand();
        if (command.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(run(command.get(), add.get()));
        } catch (IOException e) {
            LOG.debug("Could not start again with the native heap settings; running as is", e);
            return Optional.empty();
        }
    }

    /**
     * Runs {@code command} with {@code addEnv} added to this environment, sharing this process's standard
     * streams, and returns its exit code. Ctrl-C reaches both processes (one process group): the child
     * stops as it would alone, and this one waits for it before it exits.
     */
    static int run(List<String> command, Map<String, String> addEnv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        // The jpackage launcher sets this for its own second pass; inherited, the new launcher would take the
        // program's arguments as the JVM's ("Could not find or load main class bench").
        pb.environment().putAll(addEnv);
        pb.environment().remove(JPACKAGE_LAUNCHER);
        Process child = pb.start();
        Thread waiter = new Thread(() -> {
            try {
                child.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "seglight-wait-for-child");
        Runtime.getRuntime().addShutdownHook(waiter);
        while (true) {
            try {
                int code = child.waitFor();
                try {
                    Runtime.getRuntime().removeShutdownHook(waiter);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is already running and will return at once
                }
                return code;
            } catch (InterruptedException e) {
                // keep waiting: the child decides when the work stops
            }
        }
    }

    /** This JVM's own command line (executable and every argument), as Linux records it. */
    static Optional<List<String>> currentCommand() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> exe = info.command();
        Optional<String[]> argv = info.arguments();
        if (exe.isEmpty() || argv.isEmpty()) {
            return Optional.empty();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.get());
        cmd.addAll(List.of(argv.get()));
        return Optional.of(cmd);
    }

    /** Whether this process's C library is glibc (its loader maps libc.so.6 and it exports gnu_get_libc_version). */
    static boolean isGlibc() {
        try {
            return java.lang.foreign.Linker.nativeLinker().defaultLookup().find("gnu_get_libc_version").isPresent();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}

package org.seglight.app;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the launcher refuses before it starts the window, each with one line that says what to do instead: a
 * word that is neither a command nor an existing file (a typo for a command: {@code seglight lern}), a file or
 * folder that does not exist, and a Linux machine without a display (JavaFX would die with a stack trace).
 */
final class LaunchCheck {

    private LaunchCheck() {}

    /**
     * @param args the arguments after none of them named a command
     * @param commands the command names, for the list and the nearest match
     * @param env the environment (DISPLAY is read)
     * @param osName {@code os.name}
     * @param exists whether a path is there
     * @return the message to print instead of starting, or empty to start
     */
    static Optional<String> refusal(String[] args, List<String> commands, Map<String, String> env, String osName,
            Predicate<Path> exists) {
        for (String arg : args) {
            Path p;
            try {
                p = Path.of(arg);
            } catch (InvalidPathException e) {
                return Optional.of("seglight: '" + arg + "' is not a file name this system accepts ("
                        + e.getReason() + ")");
            }
            if (exists.test(p)) {
                continue;
            }
            boolean word = !arg.isEmpty() && arg.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-');
            if (word) {
                String nearest = nearest(arg, commands);
                return Optional.of("seglight: unknown command '" + arg + "'" + (nearest == null ? ""
                        : " (did you mean '" + nearest + "'?)") + ", and no file or folder of that name exists."
                        + " Commands: " + String.join(", ", commands) + ". 'seglight --help' says more; without a"
                        + " command, seglight opens the app with the images or folders named.");
            }
            return Optional.of("seglight: " + arg + " does not exist (no such file or folder): nothing to open");
        }
        boolean linux = osName.toLowerCase(java.util.Locale.ROOT).contains("linux");
        String display = env.get("DISPLAY");
        if (linux && (display == null || display.isBlank())) {
            return Optional.of("seglight: the desktop app needs a display, and DISPLAY is not set (no X server or"
                    + " XWayland here). Without one, use the command line, e.g. 'seglight segment --input DIR"
                    + " --out OUT'; 'seglight --help' lists the commands.");
        }
        return Optional.empty();
    }

    /** The command within two edits of {@code word}, the closest first, or null. */
    static String nearest(String word, List<String> commands) {
        String best = null;
        int bestDistance = 3;
        for (String c : commands) {
            int d = distance(word.toLowerCase(java.util.Locale.ROOT), c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

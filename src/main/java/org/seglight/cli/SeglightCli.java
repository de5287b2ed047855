package org.seglight.cli;

import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code seglight} command line: same code as the app, no JavaFX. */
@Command(name = "seglight", mixinStandardHelpOptions = true, version = "Seglight 0.1.0",
        description = "Language-guided semantic segmentation.",
        subcommands = {ModelInfoCommand.class, SegmentCommand.class, CreateModelCommand.class,
            WeightsCommand.class, TrainCommand.class, LearnCommand.class, EvalCommand.class, BenchCommand.class,
            ExportOnnxCommand.class,
            CommandLine.HelpCommand.class})
public final class SeglightCli {

    private static final Logger LOG = LoggerFactory.getLogger(SeglightCli.class);
    /** The subcommands as declared above, and the top-level help and version flags. */
    private static final Set<String> COMMANDS = commands();

    private static Set<String> commands() {
        Set<String> names = new java.util.HashSet<>(new CommandLine(new SeglightCli()).getSubcommands().keySet());
        names.addAll(List.of("--help", "-h", "--version", "-V"));
        return Set.copyOf(names);
    }

    /** Whether {@code arg} names a CLI command (as opposed to an image or folder for the app). */
    public static boolean isCommand(String arg) {
        return COMMANDS.contains(arg);
    }

    /** The commands' names, sorted (without the help and version flags). */
    public static List<String> commandNames() {
        return COMMANDS.stream().filter(c -> !c.startsWith("-")).sorted().toList();
    }

    /** Runs the command line and returns its exit code; errors are one line on stderr. */
    public static int run(String... args) {
        return run(new CommandLine(new SeglightCli()), args);
    }

    static int run(CommandLine cli, String... args) {
        System.setProperty("ai.djl.offline", "true");
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            LOG.debug("Command failed", ex);
            cmd.getErr().println("seglight: " + userMessage(ex));
            return 1;
        });
        try {
            return cli.execute(args);
        } finally {
            ConsoleProgress.commandReturned();
        }
    }

    static String userMessage(Throwable ex) {
        Throwable t = ex;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    public static void main(String[] args) {
        System.exit(NativeHeap.relaunchIfUseful(args, false).orElseGet(() -> run(args)));
    }
}

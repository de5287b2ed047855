package org.seglight.app;

import org.seglight.cli.HeapPolicy;
import org.seglight.cli.NativeHeap;
import org.seglight.cli.SeglightCli;

/**
 * The launcher: with a CLI command as first argument it runs the command line, otherwise it opens the
 * desktop app. A plain class (not an {@code Application}) so it starts from the class path.
 */
public final class Main {

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        HeapPolicy.apply();
        if (args.length > 0 && SeglightCli.isCommand(args[0])) {
            SeglightCli.main(args); // relaunches for the native heap where useful, runs, exits
            return;
        }
        java.util.Optional<String> refused = LaunchCheck.refusal(args, SeglightCli.commandNames(), System.getenv(),
                System.getProperty("os.name", ""), java.nio.file.Files::exists);
        if (refused.isPresent()) {
            System.err.println(refused.get());
            System.exit(2);
        }
        java.util.Optional<Integer> relaunched = NativeHeap.relaunchIfUseful(args, true);
        if (relaunched.isPresent()) {
            System.exit(relaunched.get());
        }
        SeglightApp.launchApp(args);
    }

    private Main() {}
}

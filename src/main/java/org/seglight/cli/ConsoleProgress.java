package org.seglight.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.seglight.task.Progress;

/**
 * The command-line front end of {@link Progress}: one status line on stderr, at most every
 * {@code intervalMs}, and Ctrl-C turned into a cancellation that lets the work stop at a safe point.
 */
final class ConsoleProgress implements Progress {

    /** Counted down once the command line's command has returned. */
    private static final CountDownLatch COMMAND_RETURNED = new CountDownLatch(1);

    private final PrintStream out;
    private final long intervalMs;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private long lastPrint;

    ConsoleProgress(PrintStream out, long intervalMs) {
        this.out = out;
        this.intervalMs = intervalMs;
    }

    /**
     * Makes Ctrl-C cancel instead of kill: the work stops at its next safe point, and the hook holds the JVM
     * until the command has returned (its model saved, its summary printed) or {@code worker} has ended. It
     * does not wait for {@code worker} to die: the worker is the thread that then calls {@code System.exit},
     * which blocks while this hook runs, so waiting for it would hold every Ctrl-C for the full two minutes.
     */
    ConsoleProgress cancelOnInterrupt(Thread worker) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!worker.isAlive() || COMMAND_RETURNED.getCount() == 0) {
                return;
            }
            if (!finished.get()) {
                cancelled.set(true);
                out.println();
                out.println("Stopping at the next safe point...");
            }
            try {
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (worker.isAlive() && System.nanoTime() < deadline
                        && !COMMAND_RETURNED.await(100, TimeUnit.MILLISECONDS)) {
                    // the work goes on to its safe point and writes what it has
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "seglight-cancel"));
        return this;
    }

    /** Called when a command has returned, everything written: a Ctrl-C hook need not wait any longer. */
    static void commandReturned() {
        COMMAND_RETURNED.countDown();
    }

    /** Marks the work done, so exiting does not wait for it. */
    void finish() {
        finished.set(true);
    }

    @Override
    public synchronized void update(String message, long done, long total) {
        long now = System.currentTimeMillis();
        if (now - lastPrint < intervalMs && done < total) {
            return;
        }
        lastPrint = now;
        out.println(total > 0 ? bar(done, total) + " " + message : message);
    }

    /** {@code [#######.........] 12/50}. */
    static String bar(long done, long total) {
        int width = 24;
        int filled = (int) Math.min(width, width * Math.max(0, done) / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total;
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }
}

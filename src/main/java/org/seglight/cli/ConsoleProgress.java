package org.seglight.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.seglight.task.Progress;

/**
 * The command-line front end of {@link Progress}: one status line on stderr, at most every
 * {@code intervalMs}, and Ctrl-C turned into a cancellation that lets the work stop at a safe point.
 */
final class ConsoleProgress implements Progress {

    private final PrintStream out;
    private final long intervalMs;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private long lastPrint;

    ConsoleProgress(PrintStream out, long intervalMs) {
        this.out = out;
        this.intervalMs = intervalMs;
    }

    /** Makes Ctrl-C cancel instead of kill; the hook waits for {@code worker} to stop. */
    ConsoleProgress cancelOnInterrupt(Thread worker) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!finished.get() && worker.isAlive()) {
                cancelled.set(true);
                out.println();
                out.println("Stopping at the next safe point...");
                try {
                    worker.join(120_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "seglight-cancel"));
        return this;
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

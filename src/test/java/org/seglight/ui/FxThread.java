package org.seglight.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;

/** The JavaFX thread for tests that drive view-models and runners without a window (no TestFX). */
public final class FxThread {

    /** Work for the FX thread that returns nothing. */
    public interface Action {
        void run() throws Exception;
    }

    private FxThread() {}

    /** Starts the toolkit once per JVM (other tests may have started it already) and keeps it running. */
    public static void start() throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        try {
            Platform.startup(() -> started.complete(null));
        } catch (IllegalStateException alreadyRunning) {
            started.complete(null);
        }
        started.get(30, TimeUnit.SECONDS);
        Platform.setImplicitExit(false);
    }

    /** Runs {@code c} on the FX thread and returns its result; its exception is rethrown here. */
    public static <T> T call(Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw new AssertionError(e.getCause());
        }
    }

    public static void run(Action a) throws Exception {
        call(() -> {
            a.run();
            return null;
        });
    }
}

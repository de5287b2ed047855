package org.seglight.ui.common;

import java.util.function.Consumer;
import org.seglight.task.Progress;

/**
 * Runs long work off the UI thread and hands the result back on it. The app's runner uses background threads
 * and reports to the status bar; tests use one that runs on the calling thread.
 */
public interface TaskRunner {

    /** A piece of work that reports through {@link Progress} and stops when it is cancelled. */
    @FunctionalInterface
    interface Work<T> {
        T call(Progress progress) throws Exception;
    }

    /** A started piece of work. */
    interface Handle {
        void cancel();

        boolean isCancelled();
    }

    /** A handle that is only a flag, safe to read from the thread that runs the work. */
    final class CancelFlag implements Handle {
        private volatile boolean cancelled;

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    /**
     * Starts work. {@code onDone} and {@code onError} run on the UI thread; a cancelled work's outcome is
     * dropped.
     *
     * @param lane work in one lane runs one at a time, in order
     * @param visible whether the status bar shows its progress and offers a cancel button
     */
    default <T> Handle run(Lane lane, String title, boolean visible, Work<T> work, Consumer<T> onDone,
            Consumer<Throwable> onError) {
        return run(lane, title, visible, work, onDone, onError, () -> {});
    }

    /**
     * As {@link #run(Lane, String, boolean, Work, Consumer, Consumer)}, and {@code release} runs exactly once when
     * the work is over, whether it ran, failed, or was cancelled or refused before it started: what the work
     * holds (a lease on a model) is given back in every case, on the lane's thread or the caller's.
     */
    <T> Handle run(Lane lane, String title, boolean visible, Work<T> work, Consumer<T> onDone,
            Consumer<Throwable> onError, Runnable release);

    /**
     * Runs {@code r} on the UI thread after what is queued there, from any thread (a {@code release} that has
     * to tell the UI). Runners that call back on the caller's thread run it at once.
     */
    default void onUiThread(Runnable r) {
        r.run();
    }
}

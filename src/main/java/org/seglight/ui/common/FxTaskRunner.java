package org.seglight.ui.common;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.seglight.task.CancelledException;
import org.seglight.task.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's {@link TaskRunner}: one daemon thread per lane, results delivered with {@code Platform.runLater},
 * and the latest visible task mirrored in properties the status bar binds to (message, fraction, cancel).
 */
public final class FxTaskRunner implements TaskRunner, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FxTaskRunner.class);

    private final Map<Lane, ExecutorService> lanes = new ConcurrentHashMap<>();
    private final StringProperty message = new SimpleStringProperty("");
    private final DoubleProperty fraction = new SimpleDoubleProperty(0);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private volatile CancelFlag shown;
    /** Work started and not yet delivered (its callbacks not yet run on the FX thread). */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;

    @Override
    public <T> Handle run(Lane lane, String title, boolean visible, Work<T> work, Consumer<T> onDone,
            Consumer<Throwable> onError, Runnable release) {
        CancelFlag handle = new CancelFlag();
        if (closed) {
            handle.cancel(); // the app is closing: nothing new starts
            release.run();
            return handle;
        }
        if (visible) {
            shown = handle;
            message.set(title);
            fraction.set(-1);
            busy.set(true);
        }
        Progress progress = new Progress() {
            @Override
            public void update(String msg, long done, long total) {
                if (visible && shown == handle) {
                    double f = total > 0 ? (double) done / total : -1;
                    Platform.runLater(() -> {
                        if (shown == handle) {
                            message.set(msg);
                            fraction.set(f);
                        }
                    });
                }
            }

            @Override
            public boolean isCancelled() {
                return handle.isCancelled();
            }
        };
        inFlight.incrementAndGet();
        try {
            lanes.computeIfAbsent(lane, l -> Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, l.threadName());
                t.setDaemon(true);
                return t;
            })).execute(() -> {
                try {
                    runOnLane(handle, title, visible, work, progress, onDone, onError);
                } finally {
                    release.run();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) { // closed meanwhile: nothing new starts
            handle.cancel();
            finish(handle, visible, null);
            release.run();
        }
        return handle;
    }

    private <T> void runOnLane(CancelFlag handle, String title, boolean visible, Work<T> work, Progress progress,
            Consumer<T> onDone, Consumer<Throwable> onError) {
        if (handle.isCancelled()) {
            Platform.runLater(() -> finish(handle, visible, null)); // status-bar properties: FX thread only
            return;
        }
        try {
            T result = work.call(progress);
            Platform.runLater(() -> {
                finish(handle, visible, null);
                if (!handle.isCancelled()) {
                    onDone.accept(result);
                }
            });
        } catch (CancelledException e) {
            Platform.runLater(() -> finish(handle, visible, title + ": cancelled"));
        } catch (Throwable e) {
            if (!handle.isCancelled()) {
                LOG.warn("{} failed", title, e);
            }
            Platform.runLater(() -> {
                finish(handle, visible, null);
                if (!handle.isCancelled()) {
                    onError.accept(e);
                }
            });
        }
    }

    private void finish(CancelFlag handle, boolean visible, String note) {
        Platform.runLater(inFlight::decrementAndGet); // after the callbacks queued with this call
        if (visible && shown == handle) {
            busy.set(false);
            fraction.set(0);
            message.set(note == null ? "" : note);
            shown = null;
        }
    }

    @Override
    public void onUiThread(Runnable r) {
        Platform.runLater(r);
    }

    /** Whether no work is queued, running or waiting to hand its result to the FX thread. */
    public boolean isIdle() {
        return inFlight.get() == 0;
    }

    /** Cancels the task the status bar shows. */
    public void cancelShown() {
        CancelFlag h = shown;
        if (h != null) {
            h.cancel();
        }
    }

    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    /** Fraction done, -1 while unknown. */
    public ReadOnlyDoubleProperty fractionProperty() {
        return fraction;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    /** Lets running work (an autosave, say) finish for a few seconds, then stops every lane. */
    @Override
    public void close() {
        closed = true;
        lanes.values().forEach(ExecutorService::shutdown);
        for (ExecutorService e : lanes.values()) {
            try {
                if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
                    e.shutdownNow();
                }
            } catch (InterruptedException ex) {
                e.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}

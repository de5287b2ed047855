package org.seglight.ui.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seglight.ui.FxThread;

/** The app's runner: lanes in order, and the status-bar properties touched only on the FX thread. */
class FxTaskRunnerTest {

    @BeforeAll
    static void toolkit() throws Exception {
        FxThread.start();
    }

    @Test
    void aCancelledQueuedTaskUpdatesTheStatusBarOnTheFxThreadOnly() throws Exception {
        FxTaskRunner runner = onFx(FxTaskRunner::new);
        List<String> offThread = new CopyOnWriteArrayList<>();
        onFx(() -> {
            runner.messageProperty().addListener((o, a, b) -> {
                if (!Platform.isFxApplicationThread()) {
                    offThread.add("message '" + b + "' set on " + Thread.currentThread().getName());
                }
            });
            runner.busyProperty().addListener((o, a, b) -> {
                if (!Platform.isFxApplicationThread()) {
                    offThread.add("busy set on " + Thread.currentThread().getName());
                }
            });
            return null;
        });
        CountDownLatch release = new CountDownLatch(1);
        onFx(() -> runner.run(Lane.IO, "Blocking", false, p -> {
            release.await(10, TimeUnit.SECONDS);
            return null;
        }, x -> {}, e -> {}));
        // Queued behind the blocking work, shown in the status bar, and cancelled before it could start.
        java.util.concurrent.atomic.AtomicInteger released = new java.util.concurrent.atomic.AtomicInteger();
        TaskRunner.Handle queued = onFx(() -> runner.run(Lane.IO, "Queued", true, p -> "ran", x -> {}, e -> {},
                released::incrementAndGet));
        queued.cancel();
        release.countDown();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!onFx(runner::isIdle) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(onFx(runner::isIdle)).isTrue();
        assertThat(onFx(() -> runner.busyProperty().get())).isFalse();
        assertThat(offThread).as("status-bar properties changed off the FX thread").isEmpty();
        assertThat(released.get()).as("what the cancelled work held is given back, once").isEqualTo(1);
        onFx(() -> {
            runner.close();
            return null;
        });
    }

    @Test
    void workInOneLaneRunsInOrder() throws Exception {
        FxTaskRunner runner = onFx(FxTaskRunner::new);
        List<Integer> order = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            onFx(() -> runner.run(Lane.MODEL, "step " + n, false, p -> {
                Thread.sleep(n % 3);
                return n;
            }, order::add, e -> {}));
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (order.size() < 20 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(order).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).boxed().toList());
        onFx(() -> {
            runner.close();
            return null;
        });
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> c) throws Exception {
        return FxThread.call(c);
    }
}

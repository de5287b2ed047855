package org.seglight.ui;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.seglight.task.CancelledException;
import org.seglight.task.Progress;
import org.seglight.ui.common.Lane;
import org.seglight.ui.common.TaskRunner;

/**
 * A {@link TaskRunner} that only queues work: the test decides which lane runs next, so it can reproduce any
 * order the app's real lanes may take (an image's load landing after the user moved on, a model swap in the
 * middle of an export) and cancel queued work, deterministically, on the test's thread.
 */
final class QueueTaskRunner implements TaskRunner {

    private record Job(String title, Runnable body, Handle handle) {}

    private final Map<Lane, Deque<Job>> lanes = new EnumMap<>(Lane.class);
    final List<String> started = new ArrayList<>();

    @Override
    public <T> Handle run(Lane lane, String title, boolean visible, Work<T> work, Consumer<T> onDone,
            Consumer<Throwable> onError, Runnable release) {
        Handle h = new CancelFlag();
        Progress progress = new Progress() {
            @Override
            public void update(String message, long done, long total) {}

            @Override
            public boolean isCancelled() {
                return h.isCancelled();
            }
        };
        lanes.computeIfAbsent(lane, l -> new ArrayDeque<>()).add(new Job(title, () -> {
            if (h.isCancelled()) {
                release.run();
                return;
            }
            started.add(title);
            T result;
            try {
                result = work.call(progress);
            } catch (CancelledException e) {
                return;
            } catch (Exception e) {
                if (!h.isCancelled()) {
                    onError.accept(e);
                }
                return;
            } finally {
                release.run();
            }
            if (!h.isCancelled()) {
                onDone.accept(result);
            }
        }, h));
        return h;
    }

    /** Runs the next job of a lane (its callbacks too); false when the lane is empty. */
    boolean runNext(Lane lane) {
        Deque<Job> q = lanes.get(lane);
        if (q == null || q.isEmpty()) {
            return false;
        }
        q.poll().body().run();
        return true;
    }

    /** Runs a lane until it is empty, including work its callbacks queue on it. */
    void drain(Lane lane) {
        while (runNext(lane)) {
            // keep going
        }
    }

    /** Runs every lane until all are empty. */
    void runAll() {
        boolean any = true;
        while (any) {
            any = false;
            for (Lane l : Lane.values()) {
                any |= runNext(l);
            }
        }
    }

    /** The titles of the jobs waiting in a lane. */
    List<String> queued(Lane lane) {
        Deque<Job> q = lanes.get(lane);
        return q == null ? List.of() : q.stream().map(Job::title).toList();
    }
}

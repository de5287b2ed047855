package org.seglight.ui;

import java.util.function.Consumer;
import org.seglight.task.Progress;
import org.seglight.ui.common.Lane;
import org.seglight.ui.common.TaskRunner;

/** Runs work at once on the calling thread, so view-model tests read results straight after a command. */
final class InlineTaskRunner implements TaskRunner {

    @Override
    public <T> Handle run(Lane lane, String title, boolean visible, Work<T> work, Consumer<T> onDone,
            Consumer<Throwable> onError, Runnable release) {
        Handle h = new CancelFlag(); // the work has run by the time anyone could cancel it
        T result;
        try {
            result = work.call(Progress.NONE);
        } catch (Exception e) {
            onError.accept(e);
            return h;
        } finally {
            release.run();
        }
        onDone.accept(result);
        return h;
    }
}

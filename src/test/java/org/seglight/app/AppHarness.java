package org.seglight.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.seglight.ui.TestDialogs;
import org.seglight.ui.common.FxDialogService;
import org.seglight.ui.images.RecentFiles;
import org.testfx.util.WaitForAsyncUtils;

/** What the real-window tests share: the wired window, calls on the FX thread, waiting, closing. */
final class AppHarness {

    private AppHarness() {}

    /** The main window with recording dialogs and a recent list under {@code dir}, the default model loading. */
    static SeglightApp.Wiring wire(Stage stage, TestDialogs dialogs, Path dir, double width, double height) {
        SeglightApp.Wiring app = SeglightApp.wire(stage, dialogs, new RecentFiles(dir.resolve("recent.txt")), width,
                height);
        app.vm().loadDefaultModel();
        return app;
    }

    static SeglightApp.Wiring wire(Stage stage, Path dir, double width, double height) {
        return wire(stage, new TestDialogs(new FxDialogService(stage)), dir, width, height);
    }

    static void close(SeglightApp.Wiring app) throws Exception {
        fx(() -> {
            app.vm().close();
            app.runner().close();
            return null;
        });
    }

    /** Runs {@code c} on the FX thread and returns its value. */
    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(30, TimeUnit.SECONDS);
    }

    static void waitUntil(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> fx(condition));
    }

    static void waitUntil(Callable<Boolean> condition) throws Exception {
        waitUntil(60, condition);
    }

    /** Opens an image once the model is ready and waits for its segmentation and mask. */
    static void openAndSegment(SeglightApp.Wiring app, Path image) throws Exception {
        waitUntil(() -> app.vm().models().readyProperty().get());
        fx(() -> {
            app.vm().open(image);
            return null;
        });
        waitUntil(() -> app.vm().session().resultProperty().get() != null && app.vm().corrections().hasMask()
                && image.equals(app.vm().session().pathProperty().get()));
    }
}

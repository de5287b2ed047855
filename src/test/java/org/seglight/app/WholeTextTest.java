package org.seglight.app;

import static org.seglight.app.AppHarness.fx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.ui.TestDialogs;
import org.seglight.ui.common.FxDialogService;
import org.seglight.ui.common.Lane;
import org.seglight.ui.images.RecentFiles;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Text a user needs is not cut to "…" at 1440x900 (issue 14, item 2): the status bar's Cancel and the help's
 * key column, with a long status message and a running task; a cut status message has its whole text in a
 * tooltip.
 */
@ExtendWith(ApplicationExtension.class)
class WholeTextTest {

    @TempDir
    static java.nio.file.Path dir;

    private SeglightApp.Wiring app;

    @Start
    void start(Stage stage) {
        app = SeglightApp.wire(stage, new TestDialogs(new FxDialogService(stage)),
                new RecentFiles(dir.resolve("recent.txt")), 1440, 900);
    }

    @AfterEach
    void close() throws Exception {
        AppHarness.close(app);
    }


    /** What the label shows on screen (its text as laid out, with any ellipsis). */
    private static String shown(Labeled l) {
        Node t = l.lookup(".text");
        return t instanceof Text text ? text.getText() : l.getText();
    }

    @Test
    void cancelAndTheHelpKeysAreWholeBesideALongStatus(FxRobot robot) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        String longTitle = "Exporting 240 images to /home/someone/annotations/a-long-folder-name/with/more/parts: "
                + "image 17 of 240, 0016E5_07959.jpg and its mask as an indexed PNG, COCO and an overlay";
        fx(() -> {
            app.runner().run(Lane.EXPORT, longTitle, true, p -> {
                release.await(60, TimeUnit.SECONDS);
                return null;
            }, r -> { }, e -> { });
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        Labeled cancel = robot.lookup("#cancel-task").queryLabeled();
        assertThat(fx(cancel::isVisible)).isTrue();
        assertThat(fx(() -> shown(cancel))).isEqualTo("Cancel");
        var bar = (org.controlsfx.control.StatusBar) robot.lookup("#status-bar").query();
        assertThat(fx(() -> bar.getTooltip().getText())).isEqualTo(longTitle);
        release.countDown();

        fx(() -> {
            app.view().side().getSelectionModel().select(3); // Help
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        var keys = robot.lookup(".shortcut-key").queryAllAs(Labeled.class);
        assertThat(keys).hasSizeGreaterThan(10);
        for (Labeled k : keys) {
            assertThat(fx(() -> shown(k))).as("help key").isEqualTo(fx(k::getText));
        }
    }
}

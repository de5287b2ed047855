package org.seglight.app;

import static org.seglight.app.AppHarness.fx;
import static org.seglight.app.AppHarness.waitUntil;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.geometry.Point2D;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.ui.corrections.Tool;
import org.seglight.ui.prompts.ClassRow;
import org.seglight.ui.viewer.ViewerCanvas;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Keys go where a new user expects (issue 14, item 1), in the real window: Enter and Escape leave the class
 * name field (Escape undoing what was typed), so the next letter is a shortcut; the click that leaves a field
 * does not paint; digit keys pick the rows their Key column shows, Shift for rows 11-20.
 */
@ExtendWith(ApplicationExtension.class)
class KeysAndFocusTest {

    @TempDir
    static Path dir;

    private SeglightApp.Wiring app;

    @Start
    void start(Stage stage) {
        app = AppHarness.wire(stage, dir, 1280, 800);
    }

    @AfterEach
    void close() throws Exception {
        AppHarness.close(app);
    }



    private Path image(String folder) throws Exception {
        BufferedImage img = new BufferedImage(480, 360, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 360; y++) {
            for (int x = 0; x < 480; x++) {
                img.setRGB(x, y, y < 150 ? 0x96b4eb : (y < 250 ? 0x784c3c : 0x606060));
            }
        }
        Path file = Files.createDirectories(dir.resolve(folder)).resolve("street.png");
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    private Point2D viewerPoint(double ix, double iy) throws Exception {
        ViewerCanvas v = app.view().viewer();
        return fx(() -> {
            double[] p = v.toView(ix, iy);
            return v.localToScreen(p[0], p[1]);
        });
    }

    private boolean viewerFocused() throws Exception {
        return fx(() -> app.view().getScene().getFocusOwner() == app.view().viewer());
    }

    @Test
    void keysAndClicksGoWhereTheUserMeansThem(FxRobot robot) throws Exception {
        Path file = image("keys");
        AppHarness.openAndSegment(app, file);
        fx(() -> {
            app.vm().corrections().activeRowProperty().set(0);
            return null;
        });

        // Enter keeps the new name and leaves the field: F is the fill tool again, not a letter.
        robot.clickOn("#class-name");
        robot.push(KeyCode.CONTROL, KeyCode.A).write("cat").push(KeyCode.ENTER);
        assertThat(viewerFocused()).as("Enter leaves the name field").isTrue();
        robot.push(KeyCode.F);
        assertThat(fx(() -> app.vm().prompts().rows().getFirst().nameProperty().get())).isEqualTo("cat");
        assertThat(fx(() -> app.vm().corrections().toolProperty().get())).isEqualTo(Tool.FILL);

        // Escape puts back what the field held and leaves it.
        robot.clickOn("#class-name");
        robot.write("xyz");
        assertThat(fx(() -> ((TextField) robot.lookup("#class-name").query()).getText())).isEqualTo("catxyz");
        robot.push(KeyCode.ESCAPE);
        assertThat(fx(() -> app.vm().prompts().rows().getFirst().nameProperty().get())).isEqualTo("cat");
        assertThat(viewerFocused()).as("Escape leaves the name field").isTrue();

        // The click that leaves a text field does not paint; the next one does.
        Thread.sleep(600); // the renamings' debounced segmentations start
        waitUntil(() -> !app.vm().segmentingProperty().get() && app.vm().corrections().hasMask());
        fx(() -> {
            app.vm().corrections().toolProperty().set(Tool.BRUSH);
            app.vm().corrections().activeRowProperty().set(5);
            return null;
        });
        assertThat(fx(() -> app.vm().corrections().labelAt(240, 300))).isNotEqualTo(5);
        robot.clickOn("#class-template");
        robot.push(KeyCode.END).write(" "); // typing (a trailing space in the template) and then a click away
        robot.clickOn(viewerPoint(240, 300));
        assertThat(fx(() -> app.vm().corrections().labelAt(240, 300))).as("not painted").isNotEqualTo(5);
        assertThat(fx(() -> app.view().viewer().readoutProperty().get())).contains("left the text field",
                "click again to use the Brush");
        assertThat(fx(() -> app.vm().corrections().editedProperty().get())).isFalse();
        robot.clickOn(viewerPoint(240, 300));
        assertThat(fx(() -> app.vm().corrections().labelAt(240, 300))).as("painted").isEqualTo(5);
        waitUntil(() -> app.vm().corrections().editedProperty().get());

        // Digits pick the rows the Key column names, 0 the tenth, Shift+digit rows 11 to 20.
        @SuppressWarnings("unchecked")
        TableView<ClassRow> table = (TableView<ClassRow>) robot.lookup("#class-table").query();
        assertThat(fx(() -> table.getColumns().getFirst().getText())).isEqualTo("Key");
        robot.push(KeyCode.DIGIT4);
        assertThat(fx(() -> app.vm().corrections().activeRowProperty().get())).isEqualTo(3);
        assertThat(fx(() -> table.getColumns().getFirst().getCellData(3))).isEqualTo("4");
        robot.push(KeyCode.DIGIT0);
        assertThat(fx(() -> app.vm().corrections().activeRowProperty().get())).isEqualTo(9);
        assertThat(fx(() -> table.getColumns().getFirst().getCellData(9))).isEqualTo("0");
        fx(() -> {
            app.vm().prompts().add("cone");
            app.vm().prompts().add("sign");
            app.view().viewer().requestFocus();
            return null;
        });
        robot.push(KeyCode.SHIFT, KeyCode.DIGIT2);
        assertThat(fx(() -> app.vm().corrections().activeRowProperty().get())).isEqualTo(11);
        assertThat(fx(() -> table.getColumns().getFirst().getCellData(11))).isEqualTo("⇧2");
        assertThat(fx(() -> app.vm().prompts().rows().get(11).nameProperty().get())).isEqualTo("cone");
        robot.push(KeyCode.SHIFT, KeyCode.DIGIT3);
        assertThat(fx(() -> app.vm().prompts().rows().get(app.vm().corrections().activeRowProperty().get())
                .nameProperty().get())).isEqualTo("sign");
    }

    /** A mouse event at image point (ix, iy) of the viewer (the constructor takes scene coordinates). */
    private javafx.scene.input.MouseEvent mouse(javafx.event.EventType<javafx.scene.input.MouseEvent> type,
            double ix, double iy, boolean down) {
        ViewerCanvas v = app.view().viewer();
        double[] local = v.toView(ix, iy);
        javafx.geometry.Point2D at = v.localToScene(local[0], local[1]);
        return new javafx.scene.input.MouseEvent(type, at.getX(), at.getY(), at.getX(), at.getY(),
                javafx.scene.input.MouseButton.PRIMARY, 1, false, false, false, false, down, false, false, false,
                false, false, null);
    }

    @Test
    void aFastDragPaintsUpToWhereTheButtonWasReleased() throws Exception {
        Path file = image("drag");
        AppHarness.openAndSegment(app, file);
        assertThat(fx(() -> app.vm().corrections().labelAt(300, 320))).isNotEqualTo(5);
        // As a fast xdotool drag arrives: the last drag event is well short of where the button comes up.
        fx(() -> {
            var c = app.vm().corrections();
            c.toolProperty().set(Tool.BRUSH);
            c.activeRowProperty().set(5);
            c.brushRadiusProperty().set(4);
            ViewerCanvas v = app.view().viewer();
            v.fireEvent(mouse(javafx.scene.input.MouseEvent.MOUSE_PRESSED, 100, 320, true));
            v.fireEvent(mouse(javafx.scene.input.MouseEvent.MOUSE_DRAGGED, 150, 320, true));
            v.fireEvent(mouse(javafx.scene.input.MouseEvent.MOUSE_RELEASED, 300, 320, false));
            return null;
        });
        for (int x : new int[] {100, 150, 220, 299}) {
            assertThat(fx(() -> app.vm().corrections().labelAt(x, 320))).as("x %d", x).isEqualTo(5);
        }
    }

    @Test
    void theAttentionTabShowsTheHighlightedClassesMapWithItsColourBarAndGuidance(FxRobot robot) throws Exception {
        Path file = image("attention");
        AppHarness.openAndSegment(app, file);
        fx(() -> {
            app.view().side().getSelectionModel().select(2); // Attention
            return null;
        });
        waitUntil(() -> app.vm().overlay().mapKindProperty().get() == org.seglight.ui.viewer.MapKind.ATTENTION
                && app.view().viewer().mapLayerProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        var bars = robot.lookup(".color-bar").queryAll().stream().filter(n -> n.isVisible()
                && n.getScene() != null && n.localToScene(n.getBoundsInLocal()).getWidth() > 0).toList();
        assertThat(bars).as("a visible colour bar for the attention map").isNotEmpty();
        assertThat(fx(() -> ((javafx.scene.control.Label) robot.lookup("#inspector-guidance").query()).getText()))
                .contains("attention");
        // Another class in the list by the keyboard: its map is the one shown.
        String before = fx(() -> app.view().viewer().mapLayerProperty().get().caption());
        robot.clickOn("#inspector-classes");
        robot.push(KeyCode.DOWN);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(fx(() -> app.vm().overlay().mapKindProperty().get()))
                .isEqualTo(org.seglight.ui.viewer.MapKind.ATTENTION);
        assertThat(fx(() -> app.view().viewer().mapLayerProperty().get().caption())).isNotEqualTo(before);
    }
}

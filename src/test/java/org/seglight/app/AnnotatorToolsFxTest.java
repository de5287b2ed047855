package org.seglight.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.seglight.app.AppHarness.fx;
import static org.seglight.app.AppHarness.waitUntil;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.geometry.Point2D;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.image.PixelReader;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.ui.corrections.Tool;
import org.seglight.ui.images.ImagesViewModel;
import org.seglight.ui.viewer.ViewerCanvas;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The annotators' tools of issue 14, item 8, in the real window with the shipped model, driven by keys and the
 * mouse: find a class (Ctrl+F), the smart select (W), dragging a closed polygon's corner, the mask as outlines
 * (O), and the reviewed mark (Ctrl+Enter) with the strip's filter and counts.
 */
@ExtendWith(ApplicationExtension.class)
class AnnotatorToolsFxTest {

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

    private static boolean isBox(int x, int y) {
        return x >= 200 && x < 300 && y >= 230 && y < 300;
    }

    /** Sky, a brown wall, a grey road, and on the road a red box. */
    private Path street(String folder, String name) throws Exception {
        BufferedImage img = new BufferedImage(480, 360, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 360; y++) {
            for (int x = 0; x < 480; x++) {
                img.setRGB(x, y, isBox(x, y) ? 0xc02828 : y < 150 ? 0x96b4eb : y < 200 ? 0x784c3c : 0x606060);
            }
        }
        Path file = Files.createDirectories(dir.resolve(folder)).resolve(name);
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

    private int label(int x, int y) throws Exception {
        return fx(() -> app.vm().corrections().labelAt(x, y));
    }

    @Test
    void theAnnotatorsToolsWorkFromTheKeyboardAndMouse(FxRobot robot) throws Exception {
        Path file = street("tools", "street.png");
        street("tools", "other.png");
        AppHarness.openAndSegment(app, file);

        // Ctrl+F, a few letters and Enter: the class to paint, whatever its row, and the keys are shortcuts again.
        robot.clickOn(viewerPoint(20, 20), MouseButton.MIDDLE);
        robot.push(KeyCode.CONTROL, KeyCode.F).write("car");
        int car = fx(() -> app.vm().prompts().find("car").getFirst());
        assertThat(fx(() -> app.vm().corrections().activeRowProperty().get())).isEqualTo(car);
        assertThat(fx(() -> ((Label) robot.lookup("#class-search-found").query()).getText())).isEqualTo("1 of 1");
        robot.push(KeyCode.ENTER);
        assertThat(fx(() -> app.view().getScene().getFocusOwner() == app.view().viewer())).isTrue();

        // W and a click in the red box: the smart select paints exactly the box.
        robot.push(KeyCode.W);
        assertThat(fx(() -> app.vm().corrections().toolProperty().get())).isEqualTo(Tool.SMART_SELECT);
        assertThat(robot.lookup("#smart-tolerance").query().isVisible()).isTrue();
        int[] before = new int[480 * 360];
        for (int i = 0; i < before.length; i++) {
            before[i] = label(i % 480, i / 480);
        }
        robot.clickOn(viewerPoint(250, 265));
        for (int y = 220; y < 310; y += 3) {
            for (int x = 190; x < 310; x += 3) {
                assertThat(label(x, y)).as("(%d, %d)", x, y).isEqualTo(isBox(x, y) ? car : before[y * 480 + x]);
            }
        }
        assertThat(fx(() -> app.vm().corrections().undoTextProperty().get())).isEqualTo("Undo Smart select");

        // A polygon on the sky, then its third corner dragged right with the mouse.
        robot.push(KeyCode.P);
        for (double[] p : new double[][] {{40, 20}, {120, 20}, {120, 100}, {40, 100}}) {
            robot.clickOn(viewerPoint(p[0], p[1]));
        }
        robot.clickOn(viewerPoint(40, 20)); // the first corner again closes it
        assertThat(fx(() -> app.vm().corrections().closedPolygon().size())).isEqualTo(4);
        assertThat(label(80, 60)).isEqualTo(car);
        int outside = label(160, 95);
        assertThat(outside).isNotEqualTo(car);
        robot.drag(viewerPoint(120, 100), MouseButton.PRIMARY).dropTo(viewerPoint(200, 100));
        waitUntil(() -> app.vm().corrections().labelAt(160, 95) == car);
        assertThat(fx(() -> app.vm().corrections().closedPolygon().get(2)[0])).isCloseTo(200,
                org.assertj.core.data.Offset.offset(1.5));
        assertThat(fx(() -> app.vm().corrections().undoTextProperty().get())).isEqualTo("Undo Polygon");
        robot.push(KeyCode.ESCAPE);
        assertThat(fx(() -> app.vm().corrections().closedPolygon().isEmpty())).isTrue();

        // O: the mask as outlines, the image untouched inside the box and the class colour on its border.
        robot.push(KeyCode.O);
        assertThat(fx(() -> app.vm().overlay().outlinesProperty().get())).isTrue();
        ViewerCanvas viewer = app.view().viewer();
        waitUntil(30, viewer::settled);
        PixelReader shot = fx(() -> viewer.snapshot(null, null)).getPixelReader();
        Point2D inside = fx(() -> {
            double[] p = viewer.toView(250.5, 265.5);
            return new Point2D(p[0], p[1]);
        });
        int in = shot.getArgb((int) inside.getX(), (int) inside.getY());
        assertThat(in & 0xffffff).as("the image inside the box, no mask over it").isEqualTo(0xc02828);
        robot.push(KeyCode.O);
        waitUntil(30, viewer::settled);
        PixelReader filled = fx(() -> viewer.snapshot(null, null)).getPixelReader();
        assertThat(filled.getArgb((int) inside.getX(), (int) inside.getY()) & 0xffffff).as("filled again")
                .isNotEqualTo(0xc02828);

        // Ctrl+Enter marks the image reviewed: the filter's counts and the strip's foot follow.
        waitUntil(() -> app.vm().corrections().editedProperty().get());
        robot.push(KeyCode.CONTROL, KeyCode.ENTER);
        waitUntil(() -> app.vm().images().state(file) == org.seglight.annotation.AnnotationState.REVIEWED);
        assertThat(fx(() -> ((Label) robot.lookup("#strip-summary").query()).getText()))
                .startsWith("1 of 2 reviewed");
        @SuppressWarnings("unchecked")
        ComboBox<ImagesViewModel.Filter> filter = (ComboBox<ImagesViewModel.Filter>) robot.lookup("#strip-filter")
                .query();
        fx(() -> {
            filter.setValue(ImagesViewModel.Filter.TO_REVIEW);
            return null;
        });
        assertThat(fx(() -> filter.getButtonCell().getText())).isEqualTo("To review (1)");
        robot.clickOn(viewerPoint(20, 20), MouseButton.MIDDLE);
        robot.push(KeyCode.PAGE_UP); // other.png comes first by name
        waitUntil(() -> app.vm().images().currentPath().getFileName().toString().equals("other.png"));
        assertThat(fx(() -> app.vm().images().shown().size())).as("the reviewed image left the filter").isEqualTo(1);
        robot.push(KeyCode.PAGE_DOWN);
        assertThat(fx(() -> app.vm().images().currentPath().getFileName().toString())).as("nothing after it to review")
                .isEqualTo("other.png");
    }
}

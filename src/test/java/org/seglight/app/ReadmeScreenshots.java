package org.seglight.app;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Point2D;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.seglight.TestSupport;
import org.seglight.ui.common.FxDialogService;
import org.seglight.ui.inspector.InspectorViewModel;
import org.seglight.ui.viewer.MapKind;
import org.seglight.ui.images.RecentFiles;
import org.seglight.ui.TestDialogs;
import org.seglight.ui.viewer.ViewerCanvas;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Takes the README's screenshots of the real window on a CamVid val image: not part of the test run, only with
 * {@code -Dseglight.screenshots=DIR} (see README, "Screenshots").
 */
@ExtendWith(ApplicationExtension.class)
@EnabledIfSystemProperty(named = "seglight.screenshots", matches = ".+")
class ReadmeScreenshots {

    private SeglightApp.Wiring app;
    private Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        Path recent = Files.createTempFile("seglight-recent", ".txt");
        app = SeglightApp.wire(stage, new TestDialogs(new FxDialogService(stage)), new RecentFiles(recent), 1440,
                880);
        app.vm().loadDefaultModel();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(30, TimeUnit.SECONDS);
    }

    private void shoot(String name) throws Exception {
        WaitForAsyncUtils.sleep(1500, TimeUnit.MILLISECONDS); // thumbnails and charts settle
        WritableImage img = fx(() -> stage.getScene().snapshot(null));
        Path out = Path.of(System.getProperty("seglight.screenshots")).resolve(name);
        Files.createDirectories(out.getParent());
        ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", out.toFile());
    }

    @Test
    void takeScreenshots(FxRobot robot) throws Exception {
        Optional<Path> shared = TestSupport.shared();
        assumeTrue(shared.isPresent(), "../shared is not here: no CamVid image to show");
        Path image = shared.get().resolve("data/camvid/val/images/0016E5_07959.jpg");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> fx(() -> app.vm().models().readyProperty().get()));
        fx(() -> {
            app.vm().open(image);
            return null;
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> fx(() -> app.vm().session().resultProperty().get() != null));
        shoot("app-main.png");

        robot.clickOn("#tab-layers");
        fx(() -> {
            app.vm().overlay().showMaskProperty().set(false);
            app.vm().overlay().mapKindProperty().set(MapKind.S);
            app.vm().overlay().mapClassProperty().set(8); // Car
            app.vm().overlay().mapOpacityProperty().set(0.7);
            return null;
        });
        shoot("app-score-map.png");

        robot.clickOn("#tab-attention");
        fx(() -> {
            app.vm().inspector().directionProperty().set(InspectorViewModel.Direction.TOKEN_TO_PIXELS);
            app.vm().overlay().mapKindProperty().set(MapKind.ATTENTION);
            return null;
        });
        robot.clickOn("#tool-inspect");
        ViewerCanvas viewer = app.view().viewer();
        Point2D car = fx(() -> {
            double[] v = viewer.toView(400, 240);
            return viewer.localToScreen(v[0], v[1]);
        });
        robot.clickOn(car);
        shoot("app-attention.png");
    }

    /**
     * The annotating tools on copies of four CamVid val images (nothing is written beside ../shared): one image
     * reviewed, a smart select of a shop window with a class added by hand, a polygon still editable (its corner
     * handles), the mask as outlines, and the strip's filter with its counts.
     */
    @Test
    void takeAnnotatingScreenshot(FxRobot robot) throws Exception {
        Optional<Path> shared = TestSupport.shared();
        assumeTrue(shared.isPresent(), "../shared is not here: no CamVid image to show");
        Path folder = Files.createTempDirectory("seglight-shots");
        for (String n : java.util.List.of("0016E5_07959.jpg", "0016E5_07961.jpg", "0016E5_07963.jpg",
                "0016E5_07965.jpg")) {
            Files.copy(shared.get().resolve("data/camvid/val/images").resolve(n), folder.resolve(n));
        }
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> fx(() -> app.vm().models().readyProperty().get()));
        fx(() -> {
            app.vm().open(folder.resolve("0016E5_07959.jpg"));
            return null;
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> fx(() -> app.vm().session().resultProperty().get() != null
                && app.vm().corrections().hasMask()));
        fx(() -> {
            app.vm().markReviewed();
            app.vm().next();
            return null;
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> fx(() -> app.vm().session().resultProperty().get() != null
                && app.vm().corrections().hasMask() && folder.resolve("0016E5_07961.jpg").equals(
                        app.vm().session().pathProperty().get())));
        fx(() -> {
            var c = app.vm().corrections();
            int window = app.vm().prompts().add("shop window");
            c.activeRowProperty().set(window);
            c.toolProperty().set(org.seglight.ui.corrections.Tool.SMART_SELECT);
            c.smartSelect(75, 185);
            int balloon = app.vm().prompts().add("balloon");
            c.activeRowProperty().set(balloon);
            c.toolProperty().set(org.seglight.ui.corrections.Tool.POLYGON);
            for (double[] p : new double[][] {{106, 98}, {131, 98}, {133, 133}, {108, 134}}) {
                c.polygonClick(p[0], p[1], 1);
            }
            c.closePolygon();
            app.vm().overlay().outlinesProperty().set(true);
            app.vm().overlay().maskOpacityProperty().set(0.9);
            return null;
        });
        ViewerCanvas viewer = app.view().viewer();
        Point2D corner = fx(() -> {
            double[] v = viewer.toView(131, 98);
            return viewer.localToScreen(v[0], v[1]);
        });
        robot.moveTo(corner);
        shoot("app-annotate.png");
    }
}

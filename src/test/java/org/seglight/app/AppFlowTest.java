package org.seglight.app;

import static org.seglight.app.AppHarness.fx;
import static org.seglight.app.AppHarness.waitUntil;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TableView;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.inference.AttentionMaps;
import org.seglight.inference.DefaultModel;
import org.seglight.inference.SegmentationResult;
import org.seglight.io.CocoWriter;
import org.seglight.io.MaskWriter;
import org.seglight.mask.LabelMask;
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
 * The desktop app's main flows, driven through the real window under Xvfb with the shipped default model:
 * open → mask, prompt edit → new maps, brush → undo, export → files that decode to the mask, inspector pixel
 * → the network's attention, corrupt image → error dialog and a usable app.
 */
@ExtendWith(ApplicationExtension.class)
class AppFlowTest {

    @TempDir
    static Path dir;

    private SeglightApp.Wiring app;

    private TestDialogs dialogs;

    @Start
    void start(Stage stage) {
        dialogs = new TestDialogs(new FxDialogService(stage));
        app = SeglightApp.wire(stage, dialogs, new RecentFiles(dir.resolve("recent.txt")), 1280, 800);
        app.vm().loadDefaultModel();
    }

    @AfterEach
    void close() throws Exception {
        AppHarness.close(app);
    }



    /** A street-like picture: sky on top, a building block, a grey road below. */
    private static Path streetImage(String name) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("images-" + name));
        BufferedImage img = new BufferedImage(480, 360, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 360; y++) {
            for (int x = 0; x < 480; x++) {
                int rgb;
                if (y < 110) {
                    rgb = (150 + y / 3) << 16 | (180 + y / 4) << 8 | 235;
                } else if (y < 220 && x < 300) {
                    rgb = (120 + (x / 20 % 2) * 30) << 16 | 80 << 8 | 60;
                } else if (y < 220) {
                    rgb = 40 << 16 | (110 + (x * y) % 30) << 8 | 40;
                } else {
                    int g = 95 + (x + y) % 7;
                    rgb = g << 16 | g << 8 | g;
                }
                img.setRGB(x, y, rgb);
            }
        }
        Path file = folder.resolve(name + ".png");
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    private void openAndSegment(Path image) throws Exception {
        AppHarness.openAndSegment(app, image);
    }

    private Point2D onScreen(FxRobot robot, double ix, double iy) throws Exception {
        ViewerCanvas viewer = app.view().viewer();
        return fx(() -> {
            double[] v = viewer.toView(ix, iy);
            return viewer.localToScreen(v[0], v[1]);
        });
    }

    @Test
    void openingAnImageShowsAMask() throws Exception {
        assertThat(DefaultModel.locate()).as("models/default.seglight ships with the project").isPresent();
        Path image = streetImage("open");
        openAndSegment(image);
        LabelMask mask = fx(() -> app.vm().mask());
        assertThat(mask.width()).isEqualTo(480);
        assertThat(mask.height()).isEqualTo(360);
        long[] hist = mask.histogram();
        assertThat(hist[255]).isZero(); // every pixel labelled
        assertThat(fx(() -> app.vm().statusProperty().get())).startsWith("Segmented open.png");
        assertThat(fx(() -> app.vm().models().deviceProperty().get())).contains("CPU");
    }

    @Test
    void editingAPromptReSegmentsFromCachedFeaturesAndChangesTheOverlay(FxRobot robot) throws Exception {
        Path image = streetImage("prompt");
        openAndSegment(image);
        fx(() -> {
            app.vm().overlay().mapKindProperty().set(MapKind.S);
            app.vm().overlay().mapClassProperty().set(0);
            return null;
        });
        SegmentationResult before = fx(() -> app.vm().session().resultProperty().get());
        float[] mapBefore = fx(() -> app.view().viewer().mapLayerProperty().get().values().clone());
        @SuppressWarnings("unchecked")
        TableView<Object> table = robot.lookup("#class-table").queryAs(TableView.class);
        fx(() -> {
            table.getSelectionModel().select(0);
            return null;
        });
        robot.clickOn("#class-name").eraseText(20).write("blue cloudless sky");
        waitUntil(() -> app.vm().session().resultProperty().get() != before);
        SegmentationResult after = fx(() -> app.vm().session().resultProperty().get());
        assertThat(after.prompts().classes().get(0).name()).isEqualTo("blue cloudless sky");
        assertThat(after.timings().encodeMs()).as("the image encoder is not re-run").isZero();
        float[] mapAfter = fx(() -> app.view().viewer().mapLayerProperty().get().values());
        assertThat(mapAfter).isNotEqualTo(mapBefore);
        assertThat(fx(() -> app.view().viewer().mapLayerProperty().get().caption())).contains("blue cloudless sky");
    }

    @Test
    void aBrushStrokeIsUndoneToTheExactMask(FxRobot robot) throws Exception {
        Path image = streetImage("brush");
        openAndSegment(image);
        LabelMask before = fx(() -> app.vm().mask());
        robot.clickOn("#tool-brush");
        fx(() -> {
            app.vm().corrections().activeRowProperty().set(8); // Car
            app.vm().corrections().brushRadiusProperty().set(12);
            return null;
        });
        robot.drag(onScreen(robot, 100, 60), MouseButton.PRIMARY).moveTo(onScreen(robot, 300, 80))
                .moveTo(onScreen(robot, 380, 300)).release(MouseButton.PRIMARY);
        waitUntil(() -> !app.vm().mask().equals(before));
        LabelMask painted = fx(() -> app.vm().mask());
        assertThat(painted.get(300, 80)).isEqualTo(8);
        assertThat(fx(() -> app.vm().corrections().undoTextProperty().get())).isEqualTo("Undo Brush");
        robot.clickOn("#undo");
        waitUntil(() -> app.vm().mask().equals(before));
        assertThat(fx(() -> app.vm().corrections().canRedoProperty().get())).isTrue();
    }

    @Test
    void exportWritesFilesThatDecodeToTheMask(FxRobot robot) throws Exception {
        Path image = streetImage("export");
        openAndSegment(image);
        Path exportTo = dir.resolve("exported");
        dialogs.folder = exportTo;
        LabelMask mask = fx(() -> app.vm().mask());
        robot.press(javafx.scene.input.KeyCode.CONTROL).press(javafx.scene.input.KeyCode.E)
                .release(javafx.scene.input.KeyCode.E).release(javafx.scene.input.KeyCode.CONTROL);
        Path png = exportTo.resolve("masks/export.png");
        Path coco = exportTo.resolve("annotations.coco.json");
        waitUntil(() -> Files.isRegularFile(png) && Files.isRegularFile(coco)
                && Files.isRegularFile(exportTo.resolve("classes.csv"))
                && Files.isRegularFile(exportTo.resolve("overlays/export.png")));
        assertThat(MaskWriter.readIndexed(png)).isEqualTo(mask);
        assertThat(CocoWriter.readMask(coco, "export.png")).isEqualTo(mask);
        assertThat(Files.readString(exportTo.resolve("classes.csv"))).contains("0,Sky,");
    }

    @Test
    void clickingAPixelShowsTheNetworksAttentionForIt(FxRobot robot) throws Exception {
        Path image = streetImage("inspect");
        openAndSegment(image);
        robot.clickOn("#tab-attention");
        @SuppressWarnings("unchecked")
        ComboBox<InspectorViewModel.Direction> direction = robot.lookup("#inspector-direction")
                .queryAs(ComboBox.class);
        fx(() -> {
            direction.setValue(InspectorViewModel.Direction.PIXEL_TO_TOKENS);
            return null;
        });
        robot.clickOn("#tool-inspect");
        robot.clickOn(onScreen(robot, 250, 300));
        @SuppressWarnings("unchecked")
        BarChart<String, Number> chart = robot.lookup("#inspector-chart").queryAs(BarChart.class);
        waitUntil(() -> !chart.getData().isEmpty() && !chart.getData().getFirst().getData().isEmpty());
        int[] px = fx(() -> app.vm().inspector().selectedPixelProperty().get());
        AttentionMaps att = fx(() -> app.vm().session().resultProperty().get().attention());
        int n = (px[1] / 32) * att.gridWidth() + px[0] / 32;
        float[] expected = att.pixelDistribution(0, -1, n); // unit 1, mean of heads
        List<XYChart.Data<String, Number>> bars = fx(() -> List.copyOf(chart.getData().getFirst().getData()));
        assertThat(bars).hasSize(att.classes());
        double sum = 0;
        for (int k = 0; k < bars.size(); k++) {
            assertThat(bars.get(k).getYValue().floatValue()).as(bars.get(k).getXValue())
                    .isCloseTo(expected[k], org.assertj.core.data.Offset.offset(1e-6f));
            sum += bars.get(k).getYValue().doubleValue();
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3)); // a softmax over the tokens
        assertThat(bars.getFirst().getXValue()).isEqualTo("Sky");
    }

    @Test
    void aCorruptImageGivesAnErrorDialogAndTheAppKeepsWorking(FxRobot robot) throws Exception {
        Path good = streetImage("good");
        openAndSegment(good);
        LabelMask mask = fx(() -> app.vm().mask());
        Path bad = good.resolveSibling("broken.jpg");
        Files.write(bad, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0x00, 0x13, 0x37, 0x42});
        fx(() -> {
            app.vm().openFiles(List.of(bad));
            return null;
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#dialog-error").tryQuery().isPresent());
        assertThat(dialogs.errors.getLast()).contains("broken.jpg");
        // The dialog's window may still be on its way to the screen: wait for its OK to be visible.
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("OK")
                .match(org.testfx.util.NodeQueryUtils.isVisible()).tryQuery().isPresent());
        robot.clickOn("OK");
        assertThat(fx(() -> app.vm().session().pathProperty().get())).isEqualTo(good);
        assertThat(fx(() -> app.vm().mask())).isEqualTo(mask);
        Path other = streetImage("after");
        openAndSegment(other);
        assertThat(fx(() -> app.vm().mask().width())).isEqualTo(480);
    }
}

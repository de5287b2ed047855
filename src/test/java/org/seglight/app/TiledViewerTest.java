package org.seglight.app;

import static org.seglight.app.AppHarness.fx;
import static org.seglight.app.AppHarness.waitUntil;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.ui.corrections.Tool;
import org.seglight.ui.viewer.ViewerCanvas;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The viewer draws a large image from tiles: what is on screen at the fitted view and at 1:1 is the image (block
 * means and exact pixels), the mask layer shows the mask's classes and a brush stroke at once, and the tiles
 * stay within their budget. Real window, shipped model.
 */
@ExtendWith(ApplicationExtension.class)
class TiledViewerTest {

    private static final int W = 5000;
    private static final int H = 3000;
    private static final int BLOCK = 625; // 8 x 4 uniform blocks ...
    private static final int NOISE = 4; // ... but block (3, 1) is 4x4-pixel noise

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



    private static int blockColor(int bx, int by) {
        return (40 + bx * 25) << 16 | (200 - by * 45) << 8 | (bx * 31 + by * 57) % 256;
    }

    private static BufferedImage picture() {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[W];
        Random noise = new Random(7);
        int across = BLOCK / NOISE + 1;
        int[] cells = new int[across * (H / 4 / NOISE + 1)];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = noise.nextInt(1 << 24);
        }
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int bx = x / BLOCK;
                int by = y / (H / 4);
                row[x] = bx == 3 && by == 1 ? cells[((y - 750) / NOISE) * across + (x - 3 * BLOCK) / NOISE]
                        : blockColor(bx, by);
            }
            img.setRGB(0, y, W, 1, row, 0, W);
        }
        return img;
    }

    /** The viewer as drawn once every tile in view is there. */
    private PixelReader settledView() throws Exception {
        ViewerCanvas viewer = app.view().viewer();
        waitUntil(30, viewer::settled);
        WritableImage shot = fx(() -> viewer.snapshot(null, null));
        return shot.getPixelReader();
    }

    private int[] viewOf(double ix, double iy) throws Exception {
        double[] v = fx(() -> app.view().viewer().toView(ix, iy));
        return new int[] {(int) Math.floor(v[0]), (int) Math.floor(v[1])};
    }

    private static void assertClose(int argb, int rgb, int tolerance, String what) {
        for (int shift = 0; shift <= 16; shift += 8) {
            assertThat(argb >> shift & 0xff).as(what + String.format(": #%06x vs #%06x", argb & 0xffffff, rgb))
                    .isCloseTo(rgb >> shift & 0xff, org.assertj.core.data.Offset.offset(tolerance));
        }
    }

    @Test
    void aLargeImageIsDrawnFromTilesAtEveryZoomWithItsMaskAndEdits() throws Exception {
        BufferedImage img = picture();
        Path file = Files.createDirectories(dir.resolve("big")).resolve("big.png");
        ImageIO.write(img, "png", file.toFile());
        ViewerCanvas viewer = app.view().viewer();
        fx(() -> {
            app.vm().overlay().showMaskProperty().set(false);
            app.vm().open(file);
            return null;
        });
        waitUntil(120, () -> app.vm().session().imageProperty().get() != null);

        // Fitted: an eighth to a quarter of the image's size, drawn from level-2 tiles, block means on screen.
        PixelReader fit = settledView();
        assertThat(fx(viewer.zoomProperty()::get)).isBetween(0.125, 0.25);
        for (int by = 0; by < 4; by++) {
            for (int bx = 0; bx < 8; bx++) {
                if (bx == 3 && by == 1) {
                    continue;
                }
                int[] v = viewOf(bx * BLOCK + BLOCK / 2.0, by * 750 + 375);
                assertClose(fit.getArgb(v[0], v[1]), blockColor(bx, by), 2, "block " + bx + "," + by);
            }
        }
        assertThat(fx(viewer::tileBytes)).isPositive().isLessThanOrEqualTo(128L << 20);

        // 1:1 in the noise block: every 4x4 cell's centre is the cell's exact colour (no smoothing, no level).
        fx(() -> {
            viewer.actualSize();
            double[] c = viewer.toImage(viewer.getWidth() / 2, viewer.getHeight() / 2);
            viewer.panBy(c[0] - (3 * BLOCK + 300), c[1] - 1100);
            return null;
        });
        PixelReader one = settledView();
        assertThat(fx(viewer.zoomProperty()::get)).isEqualTo(1.0);
        int checked = 0;
        for (int y = 1100 - 200; y < 1100 + 200; y += NOISE) {
            for (int x = 3 * BLOCK + 100; x < 3 * BLOCK + 500; x += NOISE) {
                int cx = 3 * BLOCK + (x - 3 * BLOCK) / NOISE * NOISE + NOISE / 2; // cells start at the block
                int cy = 750 + (y - 750) / NOISE * NOISE + NOISE / 2;
                int[] v = viewOf(cx, cy);
                assertThat(one.getArgb(v[0], v[1]) & 0xffffff).as("pixel %d,%d", cx, cy)
                        .isEqualTo(img.getRGB(cx, cy) & 0xffffff);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(100 * 100);

        // The mask layer, opaque, over the segmentation's labels; then a brush stroke shows at once.
        waitUntil(300, () -> app.vm().session().resultProperty().get() != null && app.vm().corrections().hasMask());
        int row = 5;
        fx(() -> {
            app.vm().overlay().maskOpacityProperty().set(1);
            app.vm().overlay().showMaskProperty().set(true);
            var c = app.vm().corrections();
            c.activeRowProperty().set(row);
            c.toolProperty().set(Tool.BRUSH);
            c.brushRadiusProperty().set(40);
            c.beginStroke(3 * BLOCK + 150, 1000);
            c.strokeTo(3 * BLOCK + 450, 1000);
            c.endStroke(3 * BLOCK + 450, 1000);
            return null;
        });
        PixelReader masked = settledView();
        int[] colors = fx(() -> app.vm().prompts().colors());
        int label = fx(() -> app.vm().corrections().labelAt(3 * BLOCK + 300, 1000));
        assertThat(label).as("the brushed class").isEqualTo(row);
        int[] v = viewOf(3 * BLOCK + 300, 1000);
        assertClose(masked.getArgb(v[0], v[1]), colors[label], 0, "the stroke at 1:1");
        for (int[] at : new int[][] {{3 * BLOCK + 300, 1180}, {3 * BLOCK + 120, 1250}}) {
            int l = fx(() -> app.vm().corrections().labelAt(at[0], at[1]));
            int[] p = viewOf(at[0] + 0.5, at[1] + 0.5);
            assertClose(masked.getArgb(p[0], p[1]), colors[l], 0, "the mask at " + at[0] + "," + at[1]);
        }
        fx(() -> {
            viewer.fit();
            return null;
        });
        PixelReader fitMasked = settledView();
        int[] f = viewOf(3 * BLOCK + 300, 1000);
        assertClose(fitMasked.getArgb(f[0], f[1]), colors[label], 0, "the stroke when fitted");
        assertThat(fx(viewer::tileBytes)).isLessThanOrEqualTo(128L << 20);
    }

    @Test
    void cancellingALargeImagesSegmentationSaysSoAndLeavesTheImageUsable(org.testfx.api.FxRobot robot)
            throws Exception {
        Path file = Files.createDirectories(dir.resolve("cancel")).resolve("cancel.png");
        ImageIO.write(picture(), "png", file.toFile());
        waitUntil(60, () -> app.vm().models().readyProperty().get());
        fx(() -> {
            app.vm().open(file);
            return null;
        });
        // The status bar shows the windows going by, with a progress bar and Cancel.
        waitUntil(120, () -> app.runner().messageProperty().get().matches("Segmenting cancel.png: window \\d+ of \\d+"));
        robot.clickOn("#cancel-task");
        waitUntil(60, () -> !app.vm().segmentingProperty().get());
        String status = fx(() -> app.vm().statusProperty().get());
        assertThat(status).matches("Segmenting cancel.png was cancelled after \\d+ of \\d+ windows: no new mask;.*F5.*");
        assertThat(fx(() -> app.vm().session().resultProperty().get())).isNull();
        // The image is still there to look at.
        PixelReader view = settledView();
        int[] v = viewOf(BLOCK / 2.0, 375);
        assertClose(view.getArgb(v[0], v[1]), blockColor(0, 0), 2, "block 0,0 after the cancel");
    }
}

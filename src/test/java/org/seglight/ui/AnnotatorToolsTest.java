package org.seglight.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.mask.LabelMask;
import org.seglight.ui.common.Debouncer;
import org.seglight.ui.corrections.Tool;
import org.seglight.ui.images.RecentFiles;

/**
 * The tools annotators know from the peers, on the main view-model with the shipped model: the smart select
 * and the closed polygon's corners, each one undoable step however often it is changed in place.
 */
class AnnotatorToolsTest {

    @TempDir
    Path dir;

    private MainViewModel start() {
        TestDialogs dialogs = new TestDialogs();
        MainViewModel vm = new MainViewModel(new InlineTaskRunner(), dialogs, Debouncer.IMMEDIATE,
                new RecentFiles(dir.resolve("recent.txt")));
        vm.loadDefaultModel();
        assertThat(dialogs.errors).isEmpty();
        return vm;
    }

    /** Sky above y = 50, a grey road below, and a red box (a car) on the road at [60, 100) x [70, 100). */
    private Path street() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("photos"));
        BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        java.util.Random rnd = new java.util.Random(3);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                int n = rnd.nextInt(7) - 3;
                int c = y < 50 ? 0x9cc4f0 : isCar(x, y) ? 0xb02020 : 0x606060;
                img.setRGB(x, y, c + (n << 16) + (n << 8) + n);
            }
        }
        Path file = folder.resolve("street.png");
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    private static boolean isCar(int x, int y) {
        return x >= 60 && x < 100 && y >= 70 && y < 100;
    }

    @Test
    void theSmartSelectPaintsTheClickedRegionAndItsToleranceChangesItInPlace() throws Exception {
        MainViewModel vm = start();
        vm.open(street());
        LabelMask before = vm.mask();
        int paint = 7;
        vm.corrections().toolProperty().set(Tool.SMART_SELECT);
        vm.corrections().activeRowProperty().set(paint);
        vm.corrections().smartSelect(80, 85); // the car
        LabelMask selected = vm.mask();
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                assertThat(selected.get(x, y)).as("(%d, %d)", x, y)
                        .isEqualTo(isCar(x, y) ? paint : before.get(x, y));
            }
        }
        assertThat(vm.corrections().undoTextProperty().get()).isEqualTo("Undo Smart select");
        // The tightest tolerance, right after: the same click selects again, in place of the first select, and
        // the car's noise (±3 per channel) leaves part of it out.
        vm.corrections().toleranceProperty().set(1);
        long painted = count(vm.mask(), paint) - count(before, paint);
        assertThat(painted).as("the tight select keeps to the clicked colour").isBetween(1L, 40L * 30 - 1);
        vm.corrections().toleranceProperty().set(40);
        assertThat(vm.mask()).isEqualTo(selected);
        vm.undo();
        assertThat(vm.mask()).as("one undo takes the select back, however often it was changed").isEqualTo(before);
        // A locked class keeps its pixels under the select.
        int road = before.get(20, 110);
        vm.prompts().rows().get(road).lockedProperty().set(true);
        vm.corrections().smartSelect(20, 110);
        LabelMask locked = vm.mask();
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                if (before.get(x, y) == road) {
                    assertThat(locked.get(x, y)).as("(%d, %d)", x, y).isEqualTo(road);
                }
            }
        }
        vm.close();
    }

    @Test
    void aClosedPolygonsCornersCanBeMovedAddedAndRemovedAsOneStep() throws Exception {
        MainViewModel vm = start();
        vm.open(street());
        LabelMask before = vm.mask();
        int paint = 9;
        vm.corrections().toolProperty().set(Tool.POLYGON);
        vm.corrections().activeRowProperty().set(paint);
        for (double[] p : new double[][] {{10, 10}, {40, 10}, {40, 40}, {10, 40}}) {
            vm.corrections().polygonClick(p[0], p[1], 2);
        }
        vm.corrections().closePolygon();
        assertThat(vm.corrections().closedPolygon()).hasSize(4);
        assertThat(vm.mask().get(30, 30)).isEqualTo(paint);
        // The corner at (40, 40) dragged to (70, 40): the square becomes a trapezoid.
        vm.corrections().moveCorner(2, 70, 40);
        assertThat(vm.mask().get(50, 38)).as("moving is only shown until it is let go").isEqualTo(before.get(50, 38));
        vm.corrections().commitPolygonEdit();
        assertThat(vm.mask().get(50, 38)).isEqualTo(paint);
        assertThat(vm.mask().get(50, 12)).isEqualTo(before.get(50, 12));
        // A corner added on the top edge, pulled up: a spike; then removed again.
        vm.corrections().insertCorner(0, 25, 10);
        vm.corrections().moveCorner(1, 25, 2);
        vm.corrections().commitPolygonEdit();
        assertThat(vm.corrections().closedPolygon()).hasSize(5);
        assertThat(vm.mask().get(25, 5)).isEqualTo(paint);
        vm.corrections().removeCorner(1);
        assertThat(vm.corrections().closedPolygon()).hasSize(4);
        assertThat(vm.mask().get(25, 5)).isEqualTo(before.get(25, 5));
        assertThat(vm.mask().get(50, 38)).isEqualTo(paint);
        vm.undo();
        assertThat(vm.mask()).as("one undo takes the polygon back with all its changes").isEqualTo(before);
        assertThat(vm.corrections().closedPolygon()).as("nothing left to edit").isEmpty();
        vm.redo();
        assertThat(vm.mask().get(50, 38)).isEqualTo(paint);
        // Another edit ends the polygon's editing: its corners are no longer offered.
        vm.undo();
        for (double[] p : new double[][] {{10, 10}, {40, 10}, {40, 40}}) {
            vm.corrections().polygonClick(p[0], p[1], 2);
        }
        vm.corrections().closePolygon();
        assertThat(vm.corrections().closedPolygon()).hasSize(3);
        vm.corrections().toolProperty().set(Tool.BRUSH);
        vm.corrections().beginStroke(100, 20);
        vm.corrections().endStroke(120, 20);
        assertThat(vm.corrections().closedPolygon()).isEmpty();
        vm.close();
    }

    @Test
    void aLockedClassIsStillLockedWhenTheFolderIsOpenedAgain() throws Exception {
        Path image = street();
        MainViewModel first = start();
        first.open(image);
        first.prompts().rows().get(3).lockedProperty().set(true);
        assertThat(first.flushSaves(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(Files.readString(dir.resolve("photos/.seglight/project.json"))).contains("\"locked\": true");
        first.close();
        MainViewModel second = start();
        second.open(image);
        assertThat(second.prompts().rows().stream().map(r -> r.lockedProperty().get()).toList())
                .containsExactly(false, false, false, true, false, false, false, false, false, false, false);
        assertThat(second.prompts().locked()[3]).isTrue();
        second.close();
    }

    private static long count(LabelMask m, int label) {
        long n = 0;
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                n += m.get(x, y) == label ? 1 : 0;
            }
        }
        return n;
    }
}

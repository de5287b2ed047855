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
 * The main view-model with work run inline and the shipped default model: edits autosave beside the image,
 * and a fresh start after the app was killed (never closed) recovers them.
 */
class MainViewModelTest {

    @TempDir
    Path dir;

    private MainViewModel start(TestDialogs dialogs) {
        MainViewModel vm = new MainViewModel(new InlineTaskRunner(), dialogs, Debouncer.IMMEDIATE,
                new RecentFiles(dir.resolve("recent.txt")));
        vm.loadDefaultModel();
        assertThat(dialogs.errors).isEmpty();
        assertThat(vm.models().readyProperty().get()).isTrue();
        return vm;
    }

    private Path image() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("photos"));
        BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                img.setRGB(x, y, y < 50 ? 0x9cc4f0 : 0x606060 + (x % 5));
            }
        }
        Path file = folder.resolve("street.png");
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @Test
    void editsAreAutosavedAndRecoveredAfterTheAppWasKilled() throws Exception {
        Path image = image();
        TestDialogs dialogs = new TestDialogs();
        MainViewModel first = start(dialogs);
        first.open(image);
        LabelMask predicted = first.mask();
        assertThat(predicted).isNotNull();
        first.corrections().toolProperty().set(Tool.BRUSH);
        first.corrections().activeRowProperty().set(9);
        first.corrections().brushRadiusProperty().set(6);
        first.corrections().beginStroke(20, 20);
        first.corrections().strokeTo(140, 100);
        first.corrections().endStroke();
        LabelMask edited = first.mask();
        assertThat(edited).isNotEqualTo(predicted);
        assertThat(edited.get(80, 60)).isEqualTo(9);
        assertThat(first.images().items().getFirst().stateProperty().get().name()).isEqualTo("EDITED");
        assertThat(first.flushSaves(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(dir.resolve("photos/.seglight/street.png.mask.png")).isRegularFile();
        // The first app is never closed, as when it is killed; a new one opens the same image.
        MainViewModel second = start(new TestDialogs());
        second.open(image);
        assertThat(second.mask()).isEqualTo(edited);
        assertThat(second.statusProperty().get()).startsWith("Recovered your edits of street.png");
        assertThat(second.corrections().editedProperty().get()).isTrue();
        // A new prediction (a prompt edit) does not overwrite the recovered corrections; it waits to be applied.
        second.prompts().rows().getFirst().nameProperty().set("clear sky");
        assertThat(second.mask()).isEqualTo(edited);
        assertThat(second.corrections().predictionPendingProperty().get()).isTrue();
        second.applyPrediction();
        assertThat(second.mask()).isNotEqualTo(edited);
        second.undo();
        assertThat(second.mask()).isEqualTo(edited);
        first.close();
        second.close();
    }

    @Test
    void aFirstEditOfTheNextImageIsSavedToo() throws Exception {
        MainViewModel vm = start(new TestDialogs());
        Path first = image();
        Path second = first.resolveSibling("street2.png");
        Files.copy(first, second);
        for (Path p : new Path[] {first, second}) {
            vm.open(p);
            vm.corrections().toolProperty().set(Tool.BRUSH);
            vm.corrections().activeRowProperty().set(9); // Pedestrian: not what the model sees there
            vm.corrections().beginStroke(30, 30);
            vm.corrections().endStroke();
            assertThat(vm.corrections().editedProperty().get()).as(p.getFileName().toString()).isTrue();
            assertThat(vm.flushSaves(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(p.resolveSibling(".seglight/" + p.getFileName() + ".mask.png")).isRegularFile();
        }
        vm.close();
    }

    @Test
    void removingAClassGivesItsPixelsToTheBestRemainingClass() throws Exception {
        MainViewModel vm = start(new TestDialogs());
        vm.open(image());
        LabelMask before = vm.mask();
        long[] hist = before.histogram();
        int common = 0;
        for (int k = 1; k < 11; k++) {
            common = hist[k] > hist[common] ? k : common;
        }
        String name = vm.prompts().names().get(common);
        vm.prompts().remove(common);
        // The removed class's pixels now go to the best remaining class of the new prediction.
        assertThat(vm.mask().histogram()[LabelMask.VOID]).isZero();
        assertThat(vm.prompts().names()).doesNotContain(name).hasSize(10);
        assertThat(vm.mask().histogram()[10]).as("labels above the last row").isZero();
        vm.close();
    }

    @Test
    void aTruncatedImageOpensWithWhatWasReadAndSaysSoWhileItIsOpen() throws Exception {
        TestDialogs dialogs = new TestDialogs();
        MainViewModel vm = start(dialogs);
        Path good = image();
        Path cut = org.seglight.TestSupport.corpusFile("truncated.jpg", good.resolveSibling("cut.jpg"));
        vm.open(cut);
        assertThat(dialogs.errors).as("a damaged file is not an error: it opens").isEmpty();
        BufferedImage shown = vm.session().imageProperty().get();
        assertThat(shown.getWidth()).isEqualTo(640);
        assertThat(shown.getHeight()).isEqualTo(480);
        int top = shown.getRGB(10, 5);
        assertThat(Math.abs((top >> 16 & 0xff) - (top & 0xff))).as("the top is the picture as read, not grey")
                .isGreaterThan(60);
        assertThat(vm.imageDamaged().get()).isTrue();
        assertThat(vm.imageNotice().get()).contains("cut.jpg is truncated", "only part of it could be read",
                "exports and learning leave this image out unless you choose to include it");
        assertThat(vm.statusProperty().get()).contains("cut.jpg", "damaged");
        // It can still be segmented and corrected: the user may label what is there.
        assertThat(vm.mask()).isNotNull();
        vm.corrections().toolProperty().set(Tool.BRUSH);
        vm.corrections().activeRowProperty().set(9);
        vm.corrections().beginStroke(20, 20);
        vm.corrections().strokeTo(60, 20);
        vm.corrections().endStroke();
        assertThat(vm.mask().get(40, 20)).isEqualTo(9);
        assertThat(vm.flushSaves(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(cut.resolveSibling(".seglight/cut.jpg.mask.png")).isRegularFile();
        // Said while it is open, not after: another image clears the banner, coming back brings it back.
        vm.open(good);
        assertThat(vm.imageNotice().get()).isEmpty();
        assertThat(vm.imageDamaged().get()).isFalse();
        vm.images().selectPath(cut);
        assertThat(vm.session().pathProperty().get()).isEqualTo(cut);
        assertThat(vm.imageNotice().get()).contains("cut.jpg is truncated");
        assertThat(vm.mask().get(40, 20)).as("the correction is still there").isEqualTo(9);
        vm.close();
    }

    @Test
    void aMultiPageFileSaysThatItShowsTheFirstPage() throws Exception {
        MainViewModel vm = start(new TestDialogs());
        Path pages = org.seglight.TestSupport.corpusFile("pages.tif", dir.resolve("scans/pages.tif"));
        vm.open(pages);
        assertThat(vm.imageDamaged().get()).isFalse();
        assertThat(vm.imageNotice().get()).contains("pages.tif holds 2 images", "reads the first");
        vm.close();
    }

    @Test
    void aCorruptImageIsReportedAndTheOpenImageStays() throws Exception {
        TestDialogs dialogs = new TestDialogs();
        MainViewModel vm = start(dialogs);
        Path good = image();
        vm.open(good);
        LabelMask mask = vm.mask();
        Path bad = good.resolveSibling("zz-broken.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        vm.open(bad);
        assertThat(dialogs.errors).singleElement().asString().contains("zz-broken.png");
        assertThat(vm.session().pathProperty().get()).isEqualTo(good);
        assertThat(vm.mask()).isEqualTo(mask);
        vm.close();
    }

    @Test
    void unreadableFilesOfAFolderAreMarkedAndSkippedAndNoStrangerStaysOnScreen() throws Exception {
        TestDialogs dialogs = new TestDialogs();
        MainViewModel vm = start(dialogs);
        Path folder = Files.createDirectories(dir.resolve("bad"));
        Files.write(folder.resolve("a-empty.png"), new byte[0]);
        Path good = Files.copy(image(), folder.resolve("good.png"));
        Files.writeString(folder.resolve("notes.png"), "shopping list");

        // A chosen file opens; its unreadable neighbours are not read, and no dialog speaks of them.
        vm.open(good);
        assertThat(dialogs.errors).isEmpty();
        assertThat(vm.session().pathProperty().get()).isEqualTo(good.toAbsolutePath());

        // The folder: its first file is empty, so it is marked and the next readable one opens, silently.
        vm.openFolder(folder);
        assertThat(dialogs.errors).isEmpty();
        assertThat(vm.session().pathProperty().get()).isEqualTo(good.toAbsolutePath());
        assertThat(vm.images().item(folder.resolve("a-empty.png")).orElseThrow().problemProperty().get())
                .contains("a-empty.png", "empty");
        assertThat(vm.statusProperty().get()).contains("a-empty.png cannot be read", "opened the next image");

        // Stepping onto the text file is the user's own step: a dialog says what it is, and good.png stays.
        vm.next();
        assertThat(dialogs.errors).singleElement().asString().contains("notes.png is named as a PNG image but is"
                + " not one", "shopping list");
        assertThat(vm.images().item(folder.resolve("notes.png")).orElseThrow().problemProperty().get())
                .contains("not one");
        assertThat(vm.session().pathProperty().get()).isEqualTo(good.toAbsolutePath());

        // Another folder with nothing readable: one dialog, and the viewer no longer shows good.png.
        Path worse = Files.createDirectories(dir.resolve("worse"));
        Files.write(worse.resolve("x.png"), new byte[0]);
        Files.writeString(worse.resolve("y.jpg"), "no");
        vm.openFolder(worse);
        assertThat(dialogs.errors).hasSize(2);
        assertThat(dialogs.errors.getLast()).contains("None of the listed images could be read");
        assertThat(vm.session().pathProperty().get()).isNull();
        assertThat(vm.session().imageProperty().get()).isNull();
        assertThat(vm.images().items()).allMatch(it -> it.problemProperty().get() != null);
        vm.close();
    }

    @Test
    void aClassLockedInTheTableIsNotPaintedOver() throws Exception {
        MainViewModel vm = start(new TestDialogs());
        vm.open(image());
        int sky = vm.corrections().labelAt(80, 10); // the top of the picture
        assertThat(sky).isBetween(0, 200);
        vm.prompts().rows().get(sky).lockedProperty().set(true);
        int paint = sky == 5 ? 6 : 5;
        vm.corrections().activeRowProperty().set(paint);
        vm.corrections().toolProperty().set(Tool.BRUSH);
        int[] before = new int[101];
        for (int y = 10; y <= 110; y++) {
            before[y - 10] = vm.corrections().labelAt(80, y);
        }
        assertThat(java.util.Arrays.stream(before).anyMatch(l -> l != sky)).as("the stroke crosses other classes too").isTrue();
        vm.corrections().beginStroke(80, 10);
        vm.corrections().endStroke(80, 110);
        for (int y = 10; y <= 110; y++) {
            assertThat(vm.corrections().labelAt(80, y)).as("y %d", y).isEqualTo(before[y - 10] == sky ? sky : paint);
        }
        vm.prompts().rows().get(sky).lockedProperty().set(false);
        vm.corrections().toolProperty().set(Tool.FILL);
        vm.corrections().fill(80, 10);
        assertThat(vm.corrections().labelAt(80, 10)).as("unlocked again").isEqualTo(paint);
        vm.close();
    }
}

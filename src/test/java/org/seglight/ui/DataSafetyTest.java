package org.seglight.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.annotation.AnnotationState;
import org.seglight.annotation.AnnotationStore;
import org.seglight.io.MaskWriter;
import org.seglight.mask.LabelMask;
import org.seglight.text.PromptSet;
import org.seglight.ui.common.Debouncer;
import org.seglight.ui.common.Lane;
import org.seglight.ui.corrections.CorrectionsViewModel;
import org.seglight.ui.corrections.Tool;
import org.seglight.ui.images.RecentFiles;
import org.seglight.ui.prompts.PromptsViewModel;

/**
 * Regression tests for the ways the app lost edits or their meaning, each driven with a runner whose lanes the
 * test orders by hand ({@link QueueTaskRunner}) and a model without an engine ({@link FakeSegmentationService}).
 */
class DataSafetyTest {

    private static final PromptSet CLASSES = PromptSet.of("Sky", "Building", "Road", "Car", "Fence");

    @TempDir
    Path dir;

    private Path folder;
    private Path a;
    private Path b;
    private Path c;
    private QueueTaskRunner lanes;
    private TestDialogs dialogs;

    @BeforeEach
    void images() throws Exception {
        FakeSegmentationService.OPEN.set(0);
        folder = Files.createDirectories(dir.resolve("photos"));
        a = image("a.png", 0);
        b = image("b.png", 60);
        c = image("c.png", 120);
    }

    private Path image(String name, int tint) throws Exception {
        BufferedImage img = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 80; x++) {
                img.setRGB(x, y, (x * 3 + tint) % 256 << 16 | y * 4 << 8 | (x + y + tint) % 256);
            }
        }
        Path p = folder.resolve(name);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    /** A new app on a queued runner with the fake model loaded. */
    private MainViewModel app() {
        lanes = new QueueTaskRunner();
        dialogs = new TestDialogs();
        MainViewModel vm = new MainViewModel(lanes, dialogs, Debouncer.IMMEDIATE,
                new RecentFiles(dir.resolve("recent.txt")), FakeSegmentationService.opener(CLASSES));
        vm.loadModel(dir.resolve("fake.seglight"));
        lanes.runAll();
        return vm;
    }

    private static void brush(MainViewModel vm, int label, int x, int y) {
        CorrectionsViewModel k = vm.corrections();
        k.toolProperty().set(Tool.BRUSH);
        k.activeRowProperty().set(label);
        k.brushRadiusProperty().set(3);
        k.beginStroke(x, y);
        k.endStroke(x + 4, y);
        assertThat(k.mask().get(x + 4, y)).isEqualTo(label);
    }

    /** A pixel whose label is not {@code label} yet, so that painting it there is a change. */
    private static int[] where(MainViewModel vm, int label) {
        LabelMask m = vm.mask();
        for (int y = 5; y < m.height() - 5; y += 3) {
            for (int x = 5; x < m.width() - 10; x += 3) {
                if (m.get(x, y) != label && m.get(x + 4, y) != label) {
                    return new int[] {x, y};
                }
            }
        }
        throw new AssertionError("the prediction is " + label + " everywhere");
    }

    @Test
    void aStrokeRightAfterPageDownAndPageUpIsKeptWithItsUndoHistory() {
        MainViewModel vm = app();
        vm.openFolder(folder);
        lanes.runAll();
        LabelMask predicted = vm.mask();
        brush(vm, 3, 10, 10);
        LabelMask firstStroke = vm.mask();
        vm.next(); // Page Down: b is read in the background, and the user comes straight back
        vm.previous();
        assertThat(vm.session().pathProperty().get()).isEqualTo(a);
        assertThat(vm.corrections().hasMask()).as("a comes back at once, from the session").isTrue();
        brush(vm, 1, 40, 30);
        lanes.runAll(); // b's late load lands while a is on screen
        LabelMask m = vm.mask();
        assertThat(m.get(12, 10)).as("the stroke before Page Down").isEqualTo(3);
        assertThat(m.get(42, 30)).as("the stroke after Page Up").isEqualTo(1);
        vm.undo();
        assertThat(vm.mask()).isEqualTo(firstStroke);
        vm.undo();
        assertThat(vm.mask()).as("undo history survives the trip to b").isEqualTo(predicted);
        vm.close();
    }

    @Test
    void aStrokeMadeWhileThePredictionIsStillComingIsAppliedOnTopOfIt() {
        MainViewModel vm = app();
        vm.openFolder(folder);
        lanes.drain(Lane.IO); // the image is on screen, its prediction not yet
        assertThat(lanes.queued(Lane.MODEL)).isNotEmpty();
        brush(vm, 4, 20, 20);
        assertThat(vm.mask().get(22, 20)).as("drawn at once").isEqualTo(4);
        lanes.runAll();
        LabelMask m = vm.mask();
        assertThat(m.get(22, 20)).as("kept when the prediction lands").isEqualTo(4);
        assertThat(m.get(70, 50)).as("the prediction elsewhere").isNotEqualTo(LabelMask.VOID);
        assertThat(vm.corrections().editedProperty().get()).isTrue();
        vm.close();
    }

    @Test
    void aStrokeBeforeThePredictionIsSavedEvenWhenTheUserMovesOnAtOnce() throws Exception {
        MainViewModel vm = app();
        vm.openFolder(folder);
        lanes.drain(Lane.IO); // a is on screen, its prediction queued
        brush(vm, 4, 20, 20);
        vm.next(); // b's segmentation must not drop a's: a's stroke waits for it
        lanes.drain(Lane.IO); // b is read and its segmentation queued behind a's
        lanes.runAll();
        assertThat(vm.flushSaves(Duration.ofSeconds(10))).isTrue();
        var saved = AnnotationStore.forFolder(folder).load(a);
        assertThat(saved).as("a's stroke, saved on its prediction").isPresent();
        assertThat(saved.get().mask().get(22, 20)).isEqualTo(4);
        assertThat(saved.get().mask().get(70, 50)).as("the prediction under it").isNotEqualTo(LabelMask.VOID);
        vm.close();
    }

    @Test
    void labelsKeepTheirMeaningAfterClassEditsAndARestart() throws Exception {
        MainViewModel first = app();
        first.openFolder(folder);
        lanes.runAll();
        PromptsViewModel t = first.prompts();
        t.rows().get(3).nameProperty().set("automobile"); // Car, renamed
        t.remove(4); // Fence
        int bus = t.add("bus");
        lanes.runAll();
        brush(first, bus, 10, 10);
        brush(first, 3, 40, 40);
        lanes.runAll();
        first.close(); // saves everything, then closes
        MainViewModel second = app();
        second.openFolder(folder);
        lanes.runAll();
        assertThat(second.prompts().names()).containsExactly("Sky", "Building", "Road", "automobile", "bus");
        LabelMask m = second.mask();
        assertThat(second.prompts().names().get(m.get(12, 10))).isEqualTo("bus");
        assertThat(second.prompts().names().get(m.get(42, 40))).isEqualTo("automobile");
        assertThat(second.prompts().rows().get(3).slot()).as("a renamed class reads its model slot").isEqualTo(3);
        second.close();
    }

    @Test
    void aSavedMaskIsReadByClassNameUnderAnotherTableAndAMissingClassIsAskedAbout() throws Exception {
        MainViewModel first = app();
        first.openFolder(folder);
        lanes.runAll();
        int[] at = where(first, 4);
        brush(first, 4, at[0], at[1]); // Fence
        first.close();
        // Another project's table over the same folder: reordered, without Fence.
        Files.delete(folder.resolve(".seglight/project.json"));
        MainViewModel second = app();
        second.prompts().move(0, 1); // Building, Sky, ...
        second.prompts().remove(4);
        second.openFolder(folder);
        lanes.runAll();
        assertThat(dialogs.confirms).anyMatch(s -> s.contains("Fence"));
        assertThat(second.prompts().names()).contains("Fence");
        assertThat(second.prompts().names().get(second.mask().get(at[0] + 2, at[1]))).isEqualTo("Fence");
        second.close();
    }

    @Test
    void removingAClassAsksAndOneUndoBringsBackTheClassAndItsPixels() {
        MainViewModel vm = app();
        vm.openFolder(folder);
        lanes.runAll();
        int[] at = where(vm, 4);
        brush(vm, 4, at[0], at[1]);
        LabelMask before = vm.mask();
        dialogs.answer = false;
        assertThat(vm.prompts().remove(4)).isFalse();
        assertThat(vm.prompts().names()).contains("Fence");
        dialogs.answer = true;
        assertThat(vm.prompts().remove(4)).isTrue();
        lanes.runAll();
        assertThat(vm.prompts().names()).doesNotContain("Fence");
        vm.undo();
        lanes.runAll();
        assertThat(vm.prompts().names()).containsExactly("Sky", "Building", "Road", "Car", "Fence");
        assertThat(vm.mask()).isEqualTo(before);
        vm.close();
    }

    @Test
    void closingWritesTheNewestMaskBeforeTheModelCloses() throws Exception {
        MainViewModel vm = app();
        vm.openFolder(folder);
        lanes.runAll();
        for (int i = 0; i < 20; i++) {
            brush(vm, i % 4, 2 + 3 * i, 20);
        }
        LabelMask newest = vm.mask();
        vm.close();
        var saved = AnnotationStore.forFolder(folder).load(a);
        assertThat(saved).isPresent();
        assertThat(saved.get().mask()).isEqualTo(newest);
        assertThat(FakeSegmentationService.OPEN.get()).isZero();
    }

    @Test
    void exportAllKeepsItsModelWhenAnotherIsLoadedMeanwhile() throws Exception {
        MainViewModel vm = app();
        vm.openFolder(folder);
        lanes.runAll();
        vm.exportAll(dir.resolve("out"));
        vm.loadModel(dir.resolve("other.seglight"));
        lanes.drain(Lane.MODEL); // the swap lands before the export runs
        lanes.runAll();
        assertThat(dialogs.errors).isEmpty();
        try (Stream<Path> masks = Files.list(dir.resolve("out/masks"))) {
            assertThat(masks).hasSize(3);
        }
        vm.close();
    }

    @Test
    void aStaleSegmentationCancelledBeforeItStartsStillGivesItsModelBack() {
        MainViewModel vm = app();
        vm.openFolder(folder);
        lanes.drain(Lane.IO); // a's segmentation is queued, holding the model
        vm.prompts().rows().get(0).nameProperty().set("clear sky"); // a newer run cancels the queued one
        vm.loadModel(dir.resolve("other.seglight"));
        lanes.runAll();
        assertThat(FakeSegmentationService.OPEN.get()).as("models open after the swap: only the new one")
                .isEqualTo(1);
        vm.close();
    }

    @Test
    void exportAllWithoutAModelExportsTheSavedMasksAndNamesTheRest() throws Exception {
        MainViewModel first = app();
        first.openFolder(folder);
        lanes.runAll();
        brush(first, 2, 10, 10);
        first.close();
        lanes = new QueueTaskRunner();
        dialogs = new TestDialogs();
        MainViewModel noModel = new MainViewModel(lanes, dialogs, Debouncer.IMMEDIATE,
                new RecentFiles(dir.resolve("recent.txt")), FakeSegmentationService.opener(CLASSES));
        noModel.openFolder(folder);
        lanes.runAll();
        noModel.exportAll(dir.resolve("out"));
        lanes.runAll();
        assertThat(dir.resolve("out/masks/a.png")).isRegularFile();
        assertThat(dialogs.errors).singleElement().asString().contains("b.png").contains("no model is loaded");
        noModel.close();
    }

    @Test
    void aDamagedImageIsLeftOutOfAFolderExportUnlessTheUserIncludesIt() throws Exception {
        Path cut = org.seglight.TestSupport.corpusFile("truncated.jpg", folder.resolve("d-cut.jpg"));
        MainViewModel vm = app();
        vm.openFolder(folder);
        lanes.runAll();
        brush(vm, 2, 10, 10);
        Path out = dir.resolve("out");
        vm.exportAll(out); // the dialog is answered with its default, as when the user presses Enter
        lanes.runAll();
        assertThat(dialogs.errors).isEmpty();
        assertThat(dialogs.choices).singleElement().asString().contains("A damaged image was left out",
                "d-cut.jpg is truncated", "only part of it could be read", "[Export without it, Include it]");
        try (Stream<Path> masks = Files.list(out.resolve("masks"))) {
            assertThat(masks.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.png", "b.png",
                    "c.png");
        }
        assertThat(Files.readString(out.resolve("images.txt"))).doesNotContain("d-cut");
        assertThat(vm.statusProperty().get()).contains("Exported 3 image(s)", "1 damaged, left out: d-cut.jpg");
        assertThat(vm.images().item(a).orElseThrow().stateProperty().get()).isEqualTo(AnnotationState.EXPORTED);

        dialogs.choice = 1; // Include it
        vm.exportAll(out);
        lanes.runAll();
        assertThat(dialogs.errors).isEmpty();
        assertThat(out.resolve("masks/d-cut.png")).isRegularFile();
        assertThat(MaskWriter.readIndexed(out.resolve("masks/d-cut.png")).width()).isEqualTo(640);
        assertThat(Files.readString(out.resolve("images.txt"))).contains("a.png", "b.png", "c.png", "d-cut.jpg");
        assertThat(org.seglight.io.CocoWriter.readMask(out.resolve("annotations.coco.json"), "a.png"))
                .as("the COCO file of the second pass still holds the images of the first").isNotNull();
        assertThat(vm.statusProperty().get()).contains("Exported 4 image(s)", "1 damaged, included as read: "
                + "d-cut.jpg");
        assertThat(cut).isRegularFile();
        vm.close();
    }

    @Test
    void theOpenDamagedImageIsExportedOnlyWhenTheUserSaysSo() throws Exception {
        Path cut = org.seglight.TestSupport.corpusFile("truncated.png", folder.resolve("d-cut.png"));
        MainViewModel vm = app();
        vm.openFiles(List.of(cut));
        lanes.runAll();
        assertThat(vm.session().pathProperty().get()).isEqualTo(cut);
        assertThat(vm.imageDamaged().get()).isTrue();
        Path out = dir.resolve("one");
        vm.exportCurrent(out);
        lanes.runAll();
        assertThat(dialogs.choices).singleElement().asString().contains("Damaged image", "d-cut.png is truncated",
                "[Don't export it, Export it as it was read]");
        assertThat(out.resolve("masks/d-cut.png")).doesNotExist();
        assertThat(vm.statusProperty().get()).contains("d-cut.png was not exported", "damaged");

        dialogs.choice = 1;
        vm.exportCurrent(out);
        lanes.runAll();
        assertThat(dialogs.errors).isEmpty();
        assertThat(MaskWriter.readIndexed(out.resolve("masks/d-cut.png"))).isEqualTo(vm.mask());
        assertThat(vm.statusProperty().get()).contains("Exported 1 image(s)", "included as read: d-cut.png");
        vm.close();
    }

    @Test
    void sortingByConfidenceNamesADamagedImageAndGivesItNoScore() throws Exception {
        FxThread.start(); // the scores reach the strip through the FX thread
        Path cut = org.seglight.TestSupport.corpusFile("truncated.jpg", folder.resolve("a-cut.jpg"));
        MainViewModel vm = app();
        vm.openFolder(folder);
        lanes.runAll();
        vm.sortByConfidence();
        lanes.runAll();
        FxThread.call(() -> null); // the scores posted to the FX thread have arrived
        assertThat(dialogs.errors).isEmpty();
        assertThat(vm.statusProperty().get()).contains("3 of 4 images scored",
                "damaged, not scored, at the end: a-cut.jpg");
        assertThat(vm.images().item(cut).orElseThrow().confidenceProperty().get()).isNaN();
        assertThat(vm.images().item(b).orElseThrow().confidenceProperty().get()).isBetween(0.0, 1.0);
        vm.close();
    }

    @Test
    void exportingUnreviewedPredictionsDoesNotMarkThemExported() {
        MainViewModel vm = app();
        vm.openFolder(folder);
        lanes.runAll();
        brush(vm, 2, 10, 10);
        vm.exportAll(dir.resolve("out"));
        lanes.runAll();
        var states = vm.images().items().stream().map(i -> i.stateProperty().get()).toList();
        assertThat(states).containsExactly(AnnotationState.EXPORTED, AnnotationState.NONE, AnnotationState.NONE);
        vm.close();
    }

    @Test
    void aModelReloadKeepsTheTableAndTheCorrectedMask() {
        MainViewModel vm = app();
        vm.openFolder(folder);
        lanes.runAll();
        vm.prompts().rows().get(3).nameProperty().set("automobile");
        brush(vm, 3, 10, 10);
        LabelMask edited = vm.mask();
        vm.reloadOnDevice(org.seglight.inference.DevicePolicy.CPU);
        lanes.runAll();
        assertThat(vm.prompts().names()).containsExactly("Sky", "Building", "Road", "automobile", "Fence");
        assertThat(vm.mask()).isEqualTo(edited);
        vm.close();
    }

    @Test
    void anImportedMaskWithLabelsBeyondTheTableIsRefused() throws Exception {
        MainViewModel vm = app();
        vm.openFolder(folder);
        lanes.runAll();
        byte[] labels = new byte[80 * 60];
        labels[0] = 9;
        Path file = dir.resolve("nine.png");
        MaskWriter.writePng(MaskWriter.toIndexed(new LabelMask(80, 60, labels), new int[] {0, 1, 2, 3, 4, 5, 6,
            7, 8, 9}), file);
        LabelMask before = vm.mask();
        vm.importMask(file);
        assertThat(dialogs.errors).singleElement().asString().contains("labels [9]");
        assertThat(vm.mask()).isEqualTo(before);
        vm.close();
    }

    @Test
    void openingOneImageReadsOnlyThatImageAndBrowsingWritesNothing() throws Exception {
        MainViewModel vm = app();
        vm.openFiles(List.of(c));
        lanes.runAll();
        assertThat(lanes.started).filteredOn(s -> s.startsWith("Opening")).containsExactly("Opening c.png");
        vm.previous();
        vm.previous();
        lanes.runAll();
        vm.close();
        assertThat(folder.resolve(".seglight")).as("nothing written into a folder only browsed").doesNotExist();
    }
}

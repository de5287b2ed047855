package org.seglight.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.model.Checkpoint;
import org.seglight.ui.common.Debouncer;
import org.seglight.ui.corrections.Tool;
import org.seglight.ui.images.RecentFiles;

/**
 * Model > Learn from corrections with the shipped default model and work run inline: a class added to the
 * table and painted on two images becomes a class of the learned model, which is saved in the folder's store,
 * loaded, and scores it; the user's saved masks are read, never written.
 */
class LearnFlowTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void fx() throws Exception {
        FxThread.start();
    }

    @Test
    void aPaintedClassBecomesAModelClassAndTheMasksAreLeftAsTheyWere() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("photos"));
        Path a = image(folder.resolve("a.png"), 40);
        Path b = image(folder.resolve("b.png"), 70);
        Path untouched = image(folder.resolve("c.png"), 90);
        TestDialogs dialogs = new TestDialogs();
        MainViewModel vm = new MainViewModel(new InlineTaskRunner(), dialogs, Debouncer.IMMEDIATE,
                new RecentFiles(dir.resolve("recent.txt")));
        vm.loadDefaultModel();
        vm.openFolder(folder);
        int cone = vm.prompts().add("traffic cone");
        assertThat(vm.prompts().rows().get(cone).slot()).isEqualTo(-1); // painted by hand, for now
        for (Path p : List.of(a, b)) {
            vm.images().selectPath(p);
            assertThat(vm.session().pathProperty().get()).isEqualTo(p);
            vm.corrections().toolProperty().set(Tool.BRUSH);
            vm.corrections().activeRowProperty().set(cone);
            vm.corrections().brushRadiusProperty().set(12);
            vm.corrections().beginStroke(60, 60);
            vm.corrections().strokeTo(100, 80);
            vm.corrections().endStroke();
        }
        assertThat(vm.flushSaves(java.time.Duration.ofSeconds(10))).isTrue();
        Map<Path, byte[]> saved = new HashMap<>();
        for (Path p : List.of(a, b)) {
            Path mask = folder.resolve(".seglight/" + p.getFileName() + ".mask.png");
            saved.put(mask, Files.readAllBytes(mask));
        }
        assertThat(vm.learn().corrected()).containsExactly(a, b);

        vm.learn().setFixedIterations(2);
        vm.learn().startFromProperty().set(LearnViewModel.StartFrom.AUTO);
        assertThat(vm.learn().describeStart()).contains("ImageNet base", "traffic cone");
        vm.learn().startFromProperty().set(LearnViewModel.StartFrom.DEFAULT);
        vm.learn().start();
        FxThread.call(() -> null); // the progress posted to the FX thread has arrived

        assertThat(dialogs.errors).isEmpty();
        List<Path> learned;
        try (Stream<Path> s = Files.list(folder.resolve(".seglight/models"))) {
            learned = s.toList();
        }
        assertThat(learned).hasSize(1);
        Checkpoint.Contents model = Checkpoint.read(learned.getFirst());
        assertThat(model.prompts().names()).isEqualTo(vm.prompts().names());
        assertThat(model.prompts().names().get(cone)).isEqualTo("traffic cone");
        assertThat(model.card().iterations()).isEqualTo(2);
        assertThat(model.card().data()).contains("a.png", "b.png").doesNotContain("c.png");
        assertThat(model.card().notes()).contains("the default model", "traffic cone");
        // Loaded: the new class reads its own model slot now, and the open image was segmented with it.
        assertThat(vm.models().file()).isEqualTo(learned.getFirst());
        assertThat(vm.prompts().rows().get(cone).slot()).isEqualTo(cone);
        assertThat(vm.models().current().config().numClasses()).isEqualTo(vm.prompts().rows().size());
        assertThat(vm.learn().messageProperty().get()).contains("Learned after 2 iterations", "loaded");
        assertThat(vm.learn().points()).hasSize(2);
        // The corrected masks are exactly as saved, and the untouched image got none.
        assertThat(vm.flushSaves(java.time.Duration.ofSeconds(10))).isTrue();
        for (var e : saved.entrySet()) {
            assertThat(Files.readAllBytes(e.getKey())).as(e.getKey().toString()).isEqualTo(e.getValue());
        }
        assertThat(folder.resolve(".seglight/" + untouched.getFileName() + ".mask.png")).doesNotExist();
        // Learning again starts from the learned model.
        vm.learn().startFromProperty().set(LearnViewModel.StartFrom.AUTO);
        assertThat(vm.learn().describeStart()).contains("last learned model");
        vm.close();
    }

    @Test
    void aDamagedCorrectedImageIsLeftOutUnlessTheUserIncludesIt() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("cut"));
        Path a = image(folder.resolve("a.png"), 40);
        Path b = image(folder.resolve("b.png"), 70);
        Path cut = org.seglight.TestSupport.corpusFile("truncated.png", folder.resolve("c-cut.png"));
        TestDialogs dialogs = new TestDialogs();
        MainViewModel vm = new MainViewModel(new InlineTaskRunner(), dialogs, Debouncer.IMMEDIATE,
                new RecentFiles(dir.resolve("recent.txt")));
        vm.loadDefaultModel();
        vm.openFolder(folder);
        for (Path p : List.of(a, b, cut)) {
            vm.images().selectPath(p);
            vm.corrections().toolProperty().set(Tool.BRUSH);
            vm.corrections().activeRowProperty().set(2);
            vm.corrections().beginStroke(60, 60);
            vm.corrections().strokeTo(100, 80);
            vm.corrections().endStroke();
        }
        assertThat(vm.flushSaves(java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(vm.learn().corrected()).containsExactly(a, b, cut);
        vm.learn().setFixedIterations(2);
        vm.learn().startFromProperty().set(LearnViewModel.StartFrom.DEFAULT);

        vm.learn().start(); // the question is answered with its default
        FxThread.call(() -> null);
        assertThat(dialogs.errors).isEmpty();
        assertThat(dialogs.choices).singleElement().asString().contains("A corrected image is damaged",
                "c-cut.png is truncated", "[Learn without it, Include it]");
        assertThat(vm.learn().messageProperty().get()).contains("Learned after 2 iterations", "from 2 images",
                "1 damaged image left out: c-cut.png");
        Checkpoint.Contents without = Checkpoint.read(vm.models().file());
        assertThat(without.card().data()).contains("2 corrected images", "a.png", "b.png",
                "1 damaged image left out: c-cut.png");

        dialogs.choice = 1; // Include it
        vm.learn().startFromProperty().set(LearnViewModel.StartFrom.DEFAULT);
        vm.learn().start();
        FxThread.call(() -> null);
        assertThat(dialogs.errors).isEmpty();
        assertThat(vm.learn().messageProperty().get()).contains("from 3 images",
                "1 damaged image included as read: c-cut.png");
        assertThat(Checkpoint.read(vm.models().file()).card().data()).contains("3 corrected images",
                "1 damaged image included as read: c-cut.png");
        vm.close();
    }

    @Test
    void learningWithNothingCorrectedSaysWhatToDo() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("fresh"));
        image(folder.resolve("a.png"), 40);
        TestDialogs dialogs = new TestDialogs();
        MainViewModel vm = new MainViewModel(new InlineTaskRunner(), dialogs, Debouncer.IMMEDIATE,
                new RecentFiles(dir.resolve("recent.txt")));
        vm.loadDefaultModel();
        vm.openFolder(folder);
        vm.learn().start();
        assertThat(dialogs.errors).singleElement().asString().contains("Nothing to learn from");
        assertThat(vm.learn().runningProperty().get()).isFalse();
        assertThat(folder.resolve(".seglight")).doesNotExist();
        vm.close();
    }

    private static Path image(Path file, int sky) throws Exception {
        BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                img.setRGB(x, y, y < sky ? 0x9cc4f0 : 0x606060 + (x % 5));
            }
        }
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}

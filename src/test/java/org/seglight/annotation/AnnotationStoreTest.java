package org.seglight.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.io.MaskWriter;
import org.seglight.text.ClassPrompt;
import org.seglight.text.PromptSet;

class AnnotationStoreTest {

    @TempDir
    Path dir;

    private static final PromptSet CLASSES = new PromptSet(List.of(
            new ClassPrompt("road", "a photo of a {}.", 0x804080),
            new ClassPrompt("car", "a {} in the street", 0x4000c0),
            new ClassPrompt("sky", null, -1)));

    private static LabelMask mask(int w, int h) {
        byte[] labels = new byte[w * h];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % 5 == 4 ? LabelMask.VOID : i % 3);
        }
        return new LabelMask(w, h, labels);
    }

    @Test
    void saveThenLoadGivesBackTheMaskClassesAndState() throws Exception {
        AnnotationStore store = AnnotationStore.at(dir.resolve("store"));
        Path image = dir.resolve("photos/street 1.jpg");
        LabelMask mask = mask(7, 5);
        Instant before = Instant.now();
        store.save(image, mask, CLASSES, AnnotationState.EDITED);
        Instant after = Instant.now();

        assertThat(store.root().resolve("street 1.jpg.mask.png")).isRegularFile();
        assertThat(store.root().resolve("street 1.jpg.json")).isRegularFile();
        AnnotationStore.Saved saved = store.load(image).orElseThrow();
        assertThat(saved.mask()).isEqualTo(mask);
        assertThat(saved.state()).isEqualTo(AnnotationState.EDITED);
        assertThat(saved.saved()).isBetween(before, after);
        assertThat(saved.classes().names()).containsExactly("road", "car", "sky");
        assertThat(saved.classes().classes().get(1).template()).isEqualTo("a {} in the street");
        for (int k = 0; k < 3; k++) {
            assertThat(saved.classes().color(k)).isEqualTo(CLASSES.color(k));
        }
        assertThat(MaskWriter.readIndexed(store.root().resolve("street 1.jpg.mask.png"))).isEqualTo(mask);

        LabelMask edited = mask(7, 5);
        MaskEditor editor = new MaskEditor(edited, 1 << 20);
        editor.floodFill(0, 0, 2);
        store.save(image, editor.snapshot(), CLASSES, AnnotationState.EDITED);
        assertThat(store.load(image).orElseThrow().mask()).isEqualTo(editor.snapshot());
    }

    @Test
    void stateIsCheapAndMarkExportedUpdatesIt() throws Exception {
        AnnotationStore store = AnnotationStore.at(dir);
        Path image = dir.resolve("a.png");
        assertThat(store.state(image)).isEqualTo(AnnotationState.NONE);
        assertThat(store.load(image)).isEmpty();
        store.markExported(image);
        assertThat(store.state(image)).isEqualTo(AnnotationState.NONE);

        store.save(image, mask(4, 3), CLASSES, AnnotationState.EDITED);
        assertThat(store.state(image)).isEqualTo(AnnotationState.EDITED);
        store.markExported(image);
        assertThat(store.state(image)).isEqualTo(AnnotationState.EXPORTED);
        assertThat(store.load(image).orElseThrow().state()).isEqualTo(AnnotationState.EXPORTED);
        assertThat(store.load(image).orElseThrow().mask()).isEqualTo(mask(4, 3));
        assertThat(AnnotationState.EXPORTED.label()).isEqualTo("Exported");
    }

    @Test
    void aSaveCutShortOrMismatchedLoadsAsNothing() throws Exception {
        AnnotationStore store = AnnotationStore.at(dir);
        Path image = dir.resolve("half.jpg");
        MaskWriter.writePng(MaskWriter.toIndexed(mask(4, 3), new int[] {0, 0, 0}),
                store.root().resolve("half.jpg.mask.png"));
        assertThat(store.load(image)).isEmpty();
        assertThat(store.state(image)).isEqualTo(AnnotationState.NONE);

        Path other = dir.resolve("other.jpg");
        store.save(other, mask(4, 3), CLASSES, AnnotationState.EDITED);
        MaskWriter.writePng(MaskWriter.toIndexed(mask(5, 5), new int[] {0, 0, 0}),
                store.root().resolve("other.jpg.mask.png"));
        assertThat(store.load(other)).isEmpty();

        store.save(other, mask(4, 3), PromptSet.of("only"), AnnotationState.EDITED);
        assertThat(store.load(other)).isEmpty();
    }

    @Test
    void corruptFilesAreReportedByName() throws Exception {
        AnnotationStore store = AnnotationStore.at(dir);
        Path image = dir.resolve("b.jpg");
        store.save(image, mask(4, 3), CLASSES, AnnotationState.EDITED);
        Path json = store.root().resolve("b.jpg.json");
        String good = Files.readString(json);
        Files.writeString(json, good.substring(0, good.length() / 2));
        assertThatThrownBy(() -> store.load(image)).isInstanceOf(IOException.class)
                .hasMessageContaining("b.jpg.json").hasMessageContaining("corrupt");
        assertThat(store.state(image)).isEqualTo(AnnotationState.NONE);

        Files.writeString(json, good);
        Files.write(store.root().resolve("b.jpg.mask.png"), new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> store.load(image)).isInstanceOf(IOException.class)
                .hasMessageContaining("b.jpg.mask.png");
    }

    @Test
    void keepsEditsBesideTheImagesOrFallsBackToTheUserFolder() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        AnnotationStore beside = AnnotationStore.forFolder(images, dir.resolve("home"));
        assertThat(beside.isBesideImages()).isTrue();
        assertThat(beside.root()).isEqualTo(images.toAbsolutePath().resolve(".seglight"));

        Path blocked = Files.createDirectories(dir.resolve("blocked"));
        Files.writeString(blocked.resolve(".seglight"), "a file in the way");
        AnnotationStore fallback = AnnotationStore.forFolder(blocked, dir.resolve("home"));
        assertThat(fallback.isBesideImages()).isFalse();
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest(blocked.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(fallback.root()).isEqualTo(dir.resolve("home").resolve(sha1).toAbsolutePath());
        fallback.save(blocked.resolve("c.jpg"), mask(3, 3), CLASSES, AnnotationState.EDITED);
        assertThat(fallback.load(blocked.resolve("c.jpg"))).isPresent();

        Files.writeString(dir.resolve("home-file"), "not a folder");
        assertThatThrownBy(() -> AnnotationStore.forFolder(blocked, dir.resolve("home-file")))
                .isInstanceOf(IOException.class).hasMessageContaining("Cannot keep edits")
                .hasMessageContaining(".seglight");
    }
}

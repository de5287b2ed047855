package org.seglight.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.io.MaskWriter;
import org.seglight.mask.LabelMask;
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
        assertThat(saved.slots()).containsExactly(-1, -1, -1);

        store.save(image, mask, CLASSES, List.of(4, -1, 0), AnnotationState.EDITED);
        assertThat(store.load(image).orElseThrow().slots()).containsExactly(4, -1, 0);

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
        AnnotationStore nowhere = AnnotationStore.forFolder(blocked, dir.resolve("home-file"));
        assertThat(nowhere.state(blocked.resolve("c.jpg"))).isEqualTo(AnnotationState.NONE);
        assertThatThrownBy(() -> nowhere.save(blocked.resolve("c.jpg"), mask(3, 3), CLASSES, AnnotationState.EDITED))
                .isInstanceOf(IOException.class).hasMessageContaining("Cannot keep edits")
                .hasMessageContaining(blocked.resolve(".seglight").toString())
                .hasMessageContaining(dir.resolve("home-file").toString());
    }

    @Test
    void browsingAFolderWritesNothingUntilTheFirstSave() throws Exception {
        Path images = Files.createDirectories(dir.resolve("fresh"));
        Files.writeString(images.resolve("a.jpg"), "not really a JPEG");
        List<String> before = listing(dir);
        Path image = images.resolve("a.jpg");

        AnnotationStore store = AnnotationStore.forFolder(images, dir.resolve("home"));
        assertThat(store.isBesideImages()).isTrue();
        assertThat(store.state(image)).isEqualTo(AnnotationState.NONE);
        assertThat(store.load(image)).isEmpty();
        store.markExported(image);
        assertThat(ProjectFile.read(store)).isEmpty();
        assertThat(listing(dir)).isEqualTo(before);

        store.save(image, mask(3, 2), CLASSES, AnnotationState.EDITED);
        assertThat(images.resolve(".seglight")).isDirectory();
        assertThat(images.resolve(".seglight/a.jpg.json")).isRegularFile();
        assertThat(dir.resolve("home")).doesNotExist();
        assertThat(AnnotationStore.forFolder(images, dir.resolve("home")).load(image)).isPresent();
    }

    @Test
    void aReadOnlyFolderKeepsItsEditsInTheUserFolder() throws Exception {
        Path images = Files.createDirectories(dir.resolve("read-only"));
        Path image = Files.writeString(images.resolve("d.png"), "pixels");
        Files.setPosixFilePermissions(images, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(images), "permissions do not bind this user (root)");
            List<String> before = listing(dir);
            AnnotationStore store = AnnotationStore.forFolder(images, dir.resolve("home"));
            assertThat(store.isBesideImages()).isFalse();
            assertThat(store.state(image)).isEqualTo(AnnotationState.NONE);
            assertThat(listing(dir)).isEqualTo(before);

            store.save(image, mask(3, 3), CLASSES, AnnotationState.EDITED);
            assertThat(store.root()).startsWith(dir.resolve("home").toAbsolutePath());
            assertThat(images.resolve(".seglight")).doesNotExist();
            assertThat(AnnotationStore.forFolder(images, dir.resolve("home")).load(image)).isPresent();
        } finally {
            Files.setPosixFilePermissions(images, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void theProbeLeavesNothingBehind() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("probed"));
        assertThat(AnnotationStore.probe(folder)).isTrue();
        assertThat(listing(folder)).isEmpty();
        assertThat(AnnotationStore.probe(dir.resolve("missing"))).isFalse();
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    @Test
    void reviewedIsKeptAndOlderSavesStillRead() throws Exception {
        assertThat(AnnotationState.REVIEWED.label()).isEqualTo("Reviewed");
        assertThat(AnnotationState.values()).containsExactly(AnnotationState.NONE, AnnotationState.EDITED,
                AnnotationState.REVIEWED, AnnotationState.EXPORTED);
        AnnotationStore store = AnnotationStore.at(dir);
        Path image = dir.resolve("r.jpg");
        store.save(image, mask(4, 3), CLASSES, AnnotationState.REVIEWED);
        assertThat(store.state(image)).isEqualTo(AnnotationState.REVIEWED);
        assertThat(store.load(image).orElseThrow().state()).isEqualTo(AnnotationState.REVIEWED);

        // A save as an earlier version wrote it, before REVIEWED took EXPORTED's place in the order.
        Path json = dir.resolve("r.jpg.json");
        Files.writeString(json, """
                {
                  "image": "r.jpg",
                  "width": 4,
                  "height": 3,
                  "state": "EXPORTED",
                  "classes": [
                    {"name": "road", "template": "a photo of a {}.", "rgb": "#804080"},
                    {"name": "car", "template": "a {} in the street", "rgb": "#4000C0"},
                    {"name": "sky", "template": "a photo of a {}.", "rgb": "#2CA02C"}
                  ],
                  "saved": "2024-05-01T10:00:00Z"
                }
                """);
        assertThat(store.state(image)).isEqualTo(AnnotationState.EXPORTED);
        AnnotationStore.Saved old = store.load(image).orElseThrow();
        assertThat(old.saved()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(old.slots()).as("no slots were kept then").containsExactly(-1, -1, -1);
    }

    /** Every path under {@code root}, relative, sorted. */
    private static List<String> listing(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}

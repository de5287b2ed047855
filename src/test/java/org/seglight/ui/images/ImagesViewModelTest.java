package org.seglight.ui.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.annotation.AnnotationStore;

class ImagesViewModelTest {

    @TempDir
    Path dir;

    /** Sort by confidence: least sure first, unscored last, and the open image stays the open one. */
    @Test
    void sortingByConfidencePutsTheLeastSureFirstAndKeepsTheOpenImage() throws Exception {
        ImagesViewModel images = new ImagesViewModel(new RecentFiles(dir.resolve("recent.txt")));
        List<Path> files = new ArrayList<>();
        for (String n : List.of("a.png", "b.png", "c.png", "d.png")) {
            files.add(Files.writeString(dir.resolve(n), "x"));
        }
        images.openFiles(files);
        images.select(1); // b is open
        List<Integer> changes = new ArrayList<>();
        images.currentProperty().addListener((o, a, b) -> changes.add(b.intValue()));
        images.item(files.get(0)).orElseThrow().confidenceProperty().set(0.9);
        images.item(files.get(1)).orElseThrow().confidenceProperty().set(0.4);
        images.item(files.get(3)).orElseThrow().confidenceProperty().set(0.6);
        images.sortByConfidence();
        assertThat(images.items().stream().map(i -> i.path().getFileName().toString()).toList())
                .containsExactly("b.png", "d.png", "a.png", "c.png");
        assertThat(images.currentPath()).isEqualTo(files.get(1).toAbsolutePath());
        assertThat(changes.getLast()).isEqualTo(0);
        assertThat(new org.seglight.inference.ScoreMaps(2, 2, 1, 1, new float[] {0.9f, 0.3f, 0.1f, 0.7f})
                .meanTopValue()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-6));
    }

    /**
     * The strip's filters: each lists the images in its state (counts kept current as states change), Page Up /
     * Down step through those only, and the open image stays listed while it is open whatever its state.
     */
    @Test
    void filtersShowTheImagesInAStateWithTheirCountsAndStepThroughThem() throws Exception {
        ImagesViewModel images = new ImagesViewModel(new RecentFiles(dir.resolve("recent.txt")));
        List<Path> files = new ArrayList<>();
        for (String n : List.of("a.png", "b.png", "c.png", "d.png", "e.png")) {
            files.add(Files.writeString(dir.resolve(n), "x"));
        }
        images.openFiles(files);
        images.setState(files.get(1), org.seglight.annotation.AnnotationState.REVIEWED);
        images.setState(files.get(2), org.seglight.annotation.AnnotationState.EDITED);
        images.setState(files.get(3), org.seglight.annotation.AnnotationState.EXPORTED);
        images.markUnreadable(files.get(4), "empty");
        assertThat(images.count(ImagesViewModel.Filter.ALL)).isEqualTo(5);
        assertThat(images.count(ImagesViewModel.Filter.TO_REVIEW)).isEqualTo(2); // a (not edited) and c (edited)
        assertThat(images.count(ImagesViewModel.Filter.REVIEWED)).isEqualTo(2);
        assertThat(images.count(ImagesViewModel.Filter.EDITED)).isEqualTo(1);
        assertThat(images.count(ImagesViewModel.Filter.UNTOUCHED)).isEqualTo(1);
        assertThat(images.count(ImagesViewModel.Filter.UNREADABLE)).isEqualTo(1);
        assertThat(images.summaryProperty().get())
                .isEqualTo("2 of 5 reviewed · 1 edited · 1 not edited · 1 unreadable");

        images.filterProperty().set(ImagesViewModel.Filter.TO_REVIEW);
        assertThat(names(images.shown())).containsExactly("a.png", "c.png");
        assertThat(images.next()).isTrue();
        assertThat(images.currentPath().getFileName().toString()).isEqualTo("c.png");
        assertThat(images.next()).as("nothing after c to review").isFalse();
        // c is reviewed while open: it stays listed until the user moves on, then leaves the filter.
        images.setState(files.get(2), org.seglight.annotation.AnnotationState.REVIEWED);
        assertThat(names(images.shown())).containsExactly("a.png", "c.png");
        assertThat(images.summaryProperty().get()).startsWith("3 of 5 reviewed");
        assertThat(images.previous()).isTrue();
        assertThat(names(images.shown())).containsExactly("a.png");

        images.filterProperty().set(ImagesViewModel.Filter.REVIEWED);
        assertThat(names(images.shown())).containsExactly("a.png", "b.png", "c.png", "d.png"); // a is open
        images.filterProperty().set(ImagesViewModel.Filter.ALL);
        assertThat(images.shown()).hasSize(5);
        assertThat(images.next()).isTrue();
        assertThat(images.currentPath().getFileName().toString()).isEqualTo("b.png");
    }

    private static List<String> names(List<ImagesViewModel.Item> items) {
        return items.stream().map(i -> i.path().getFileName().toString()).toList();
    }

    /**
     * The UI thread, the IO lane and the autosaver's writer all ask for stores at once: each folder must get
     * one store, whoever asks first, and nothing may break.
     */
    @Test
    void storesAreSharedSafelyBetweenThreads() throws Exception {
        ImagesViewModel images = new ImagesViewModel(new RecentFiles(dir.resolve("recent.txt")));
        List<Path> folders = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            folders.add(Files.createDirectories(dir.resolve("f" + i)));
        }
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        Map<Path, Map<AnnotationStore, Boolean>> seen = new ConcurrentHashMap<>();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            done.add(pool.submit(() -> {
                go.await();
                for (int k = 0; k < folders.size(); k++) {
                    Path f = folders.get((k * 7 + offset * 13) % folders.size());
                    AnnotationStore s = images.storeFor(f.resolve("img.png"));
                    seen.computeIfAbsent(f, x -> java.util.Collections.synchronizedMap(new IdentityHashMap<>()))
                            .put(s, true);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(seen).hasSize(folders.size());
        seen.forEach((f, stores) -> assertThat(stores).as("stores handed out for " + f.getFileName()).hasSize(1));
    }
}

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

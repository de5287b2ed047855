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

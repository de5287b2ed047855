package org.seglight.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.mask.LabelMask;
import org.seglight.text.PromptSet;

class AutosaverTest {

    @TempDir
    Path dir;

    private static final PromptSet CLASSES = PromptSet.of("road", "car", "sky");
    private static final Duration LONG = Duration.ofSeconds(10);

    /** A 6x1 mask that spells {@code n} in base 3, so each snapshot is told apart by its pixels. */
    private static LabelMask mask(int n) {
        byte[] labels = new byte[6];
        for (int i = 0, v = n; i < labels.length; i++, v /= 3) {
            labels[i] = (byte) (v % 3);
        }
        return new LabelMask(6, 1, labels);
    }

    /** A store in memory that records each write, can hold writes at a gate and can fail them. */
    private static final class FakeSink implements Autosaver.Sink {
        final Map<Path, AnnotationStore.Saved> disk = new ConcurrentHashMap<>();
        final List<LabelMask> writes = Collections.synchronizedList(new ArrayList<>());
        final List<Project> projects = Collections.synchronizedList(new ArrayList<>());
        final Semaphore started = new Semaphore(0);
        final AtomicInteger failuresLeft = new AtomicInteger();
        volatile CountDownLatch gate;

        @Override
        public void save(Path image, LabelMask mask, PromptSet classes, List<Integer> slots, AnnotationState state)
                throws IOException {
            started.release();
            CountDownLatch g = gate;
            if (g != null) {
                try {
                    assertThat(g.await(20, TimeUnit.SECONDS)).as("the test opened the gate").isTrue();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IOException("disk full");
            }
            writes.add(mask);
            disk.put(image, new AnnotationStore.Saved(mask, classes, slots, state, Instant.now()));
        }

        @Override
        public Optional<AnnotationStore.Saved> load(Path image) {
            return Optional.ofNullable(disk.get(image));
        }

        @Override
        public AnnotationState state(Path image) {
            AnnotationStore.Saved s = disk.get(image);
            return s == null ? AnnotationState.NONE : s.state();
        }

        @Override
        public void markExported(Path image) {
            disk.computeIfPresent(image, (k, s) -> new AnnotationStore.Saved(s.mask(), s.classes(), s.slots(),
                    AnnotationState.EXPORTED, s.saved()));
        }

        @Override
        public void saveProject(Project project) {
            projects.add(project);
        }

        void awaitStarted() throws InterruptedException {
            assertThat(started.tryAcquire(10, TimeUnit.SECONDS)).as("a write started").isTrue();
        }
    }

    private static Autosaver over(FakeSink sink) {
        return new Autosaver(path -> sink, Duration.ofSeconds(5));
    }

    @Test
    void manySavesFromSeveralThreadsEndWithTheLastOnDisk() throws Exception {
        AnnotationStore store = AnnotationStore.at(dir.resolve("store"));
        Path image = dir.resolve("street.jpg");
        Object order = new Object();
        AtomicInteger next = new AtomicInteger();
        int[] last = {-1};
        try (Autosaver saver = new Autosaver(path -> store)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 40; i++) {
                        synchronized (order) { // so the test knows which save came last
                            last[0] = next.getAndIncrement();
                            saver.save(image, mask(last[0]), CLASSES, AnnotationState.EDITED);
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(saver.flush(LONG)).isTrue();
            assertThat(saver.pending()).isEmpty();
        }
        assertThat(last[0]).isEqualTo(159);
        assertThat(store.load(image).orElseThrow().mask()).isEqualTo(mask(159));
    }

    @Test
    void writesNeverGoBackToAnOlderSnapshotAndFollowTheOrderImagesWereQueued() throws Exception {
        FakeSink sink = new FakeSink();
        sink.gate = new CountDownLatch(1);
        Path a = dir.resolve("a.jpg");
        Path b = dir.resolve("b.jpg");
        try (Autosaver saver = over(sink)) {
            saver.save(a, mask(1), CLASSES, AnnotationState.EDITED);
            sink.awaitStarted(); // a's first snapshot is being written
            saver.save(b, mask(10), CLASSES, AnnotationState.EDITED);
            saver.save(a, mask(2), CLASSES, AnnotationState.EDITED);
            saver.save(a, mask(3), CLASSES, AnnotationState.EDITED);
            saver.save(b, mask(11), CLASSES, AnnotationState.EDITED);
            sink.gate.countDown();
            assertThat(saver.flush(LONG)).isTrue();
        }
        // a was queued first and keeps its place; its unwritten snapshot 2 gave way to 3, b's 10 to 11.
        assertThat(sink.writes).containsExactly(mask(1), mask(3), mask(11));
        assertThat(sink.disk.get(a.toAbsolutePath()).mask()).isEqualTo(mask(3));
        assertThat(sink.disk.get(b.toAbsolutePath()).mask()).isEqualTo(mask(11));
    }

    @Test
    void aLoadDuringASlowWriteGivesTheNewestSnapshot() throws Exception {
        FakeSink sink = new FakeSink();
        sink.gate = new CountDownLatch(1);
        Path image = dir.resolve("slow.png");
        try (Autosaver saver = over(sink)) {
            assertThat(saver.load(image)).isEmpty();
            saver.save(image, mask(1), CLASSES, AnnotationState.EDITED);
            sink.awaitStarted();
            assertThat(saver.load(image).orElseThrow().mask()).isEqualTo(mask(1)); // being written
            saver.save(image, mask(2), CLASSES, List.of(2, 0, -1), AnnotationState.REVIEWED);
            AnnotationStore.Saved newest = saver.load(image).orElseThrow();
            assertThat(newest.mask()).isEqualTo(mask(2));
            assertThat(newest.classes()).isEqualTo(CLASSES);
            assertThat(newest.slots()).containsExactly(2, 0, -1);
            assertThat(saver.state(image)).isEqualTo(AnnotationState.REVIEWED);
            assertThat(saver.pending()).containsExactly(image.toAbsolutePath());
            assertThat(sink.disk).isEmpty();

            sink.gate.countDown();
            assertThat(saver.flush(LONG)).isTrue();
            assertThat(saver.pending()).isEmpty();
            assertThat(saver.load(image).orElseThrow().mask()).isEqualTo(mask(2));
            assertThat(saver.state(image)).isEqualTo(AnnotationState.REVIEWED);
            assertThat(sink.disk.get(image.toAbsolutePath()).slots()).containsExactly(2, 0, -1);
        }
        assertThat(sink.writes).containsExactly(mask(1), mask(2));
    }

    @Test
    void flushWaitsUntilTheSnapshotIsOnDisk() throws Exception {
        FakeSink sink = new FakeSink();
        sink.gate = new CountDownLatch(1);
        Path image = dir.resolve("f.png");
        try (Autosaver saver = over(sink)) {
            saver.save(image, mask(4), CLASSES, AnnotationState.EDITED);
            sink.awaitStarted();
            assertThat(saver.flush(Duration.ofMillis(50))).isFalse();
            Thread opener = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sink.gate.countDown();
            });
            assertThat(saver.flush(LONG)).isTrue();
            assertThat(sink.disk.get(image.toAbsolutePath()).mask()).isEqualTo(mask(4));
            opener.join();
            assertThat(saver.flush(Duration.ZERO)).isTrue(); // nothing queued: done at once
        }
    }

    @Test
    void aFailedWriteKeepsTheSnapshotAndIsTriedAgain() throws Exception {
        FakeSink sink = new FakeSink();
        sink.failuresLeft.set(1);
        Path image = dir.resolve("full.png");
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<Path> written = Collections.synchronizedList(new ArrayList<>());
        Semaphore failed = new Semaphore(0);
        try (Autosaver saver = over(sink)) {
            saver.setOnFailure((path, e) -> {
                failures.add(path.getFileName() + ": " + e.getMessage());
                failed.release();
            });
            saver.setOnWritten(written::add);
            saver.save(image, mask(5), CLASSES, AnnotationState.EDITED);
            assertThat(failed.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            assertThat(failures).containsExactly("full.png: disk full");
            assertThat(saver.pending()).containsExactly(image.toAbsolutePath());
            assertThat(saver.load(image).orElseThrow().mask()).isEqualTo(mask(5));
            assertThat(sink.disk).isEmpty();

            assertThat(saver.flush(LONG)).isTrue(); // tried again, and this time the disk takes it
            assertThat(sink.disk.get(image.toAbsolutePath()).mask()).isEqualTo(mask(5));
            assertThat(written).containsExactly(image.toAbsolutePath());

            sink.failuresLeft.set(1);
            saver.save(image, mask(6), CLASSES, AnnotationState.EDITED);
            assertThat(failed.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            saver.save(image, mask(7), CLASSES, AnnotationState.EDITED); // the next save tries again
            assertThat(saver.flush(LONG)).isTrue();
            assertThat(sink.disk.get(image.toAbsolutePath()).mask()).isEqualTo(mask(7));

            sink.failuresLeft.set(100);
            saver.save(image, mask(8), CLASSES, AnnotationState.EDITED);
            assertThat(saver.flush(LONG)).as("a disk that keeps failing").isFalse();
            assertThat(saver.load(image).orElseThrow().mask()).isEqualTo(mask(8));
            sink.failuresLeft.set(0);
        }
        assertThat(sink.disk.get(image.toAbsolutePath()).mask()).as("written on close").isEqualTo(mask(8));
    }

    @Test
    void aClosedAutosaverRefusesSavesButStillAnswersLoads() throws Exception {
        FakeSink sink = new FakeSink();
        Path image = dir.resolve("c.png");
        Autosaver saver = over(sink);
        saver.save(image, mask(9), CLASSES, AnnotationState.EDITED);
        saver.close();
        assertThat(sink.disk.get(image.toAbsolutePath()).mask()).isEqualTo(mask(9));
        assertThatThrownBy(() -> saver.save(image, mask(1), CLASSES, AnnotationState.EDITED))
                .isInstanceOf(IllegalStateException.class).hasMessage("the autosaver is closed");
        assertThatThrownBy(() -> saver.markExported(image)).isInstanceOf(IllegalStateException.class);
        assertThat(saver.load(image).orElseThrow().mask()).isEqualTo(mask(9));
        saver.close(); // twice is harmless
    }

    @Test
    void markExportedAfterASaveEndsExportedOnDisk() throws Exception {
        AnnotationStore store = AnnotationStore.at(dir.resolve("store"));
        Path image = dir.resolve("e.jpg");
        Path earlier = dir.resolve("earlier.jpg");
        store.save(earlier, mask(3), CLASSES, AnnotationState.EDITED);
        try (Autosaver saver = new Autosaver(path -> store)) {
            saver.save(image, mask(12), CLASSES, AnnotationState.EDITED);
            saver.markExported(image);
            assertThat(saver.state(image)).isEqualTo(AnnotationState.EXPORTED);
            saver.markExported(earlier);
            assertThat(saver.state(earlier)).isEqualTo(AnnotationState.EXPORTED);
            saver.markExported(dir.resolve("never saved.jpg"));
            assertThat(saver.flush(LONG)).isTrue();
        }
        assertThat(store.state(image)).isEqualTo(AnnotationState.EXPORTED);
        assertThat(store.load(image).orElseThrow().mask()).isEqualTo(mask(12));
        assertThat(store.state(earlier)).isEqualTo(AnnotationState.EXPORTED);
        assertThat(store.load(earlier).orElseThrow().mask()).isEqualTo(mask(3));
        assertThat(store.state(dir.resolve("never saved.jpg"))).isEqualTo(AnnotationState.NONE);
    }

    @Test
    void markExportedWaitsForTheSaveBeingWritten() throws Exception {
        FakeSink sink = new FakeSink();
        sink.gate = new CountDownLatch(1);
        Path image = dir.resolve("x.png");
        try (Autosaver saver = over(sink)) {
            saver.save(image, mask(13), CLASSES, AnnotationState.EDITED);
            sink.awaitStarted();
            saver.markExported(image);
            assertThat(saver.state(image)).isEqualTo(AnnotationState.EXPORTED);
            sink.gate.countDown();
            assertThat(saver.flush(LONG)).isTrue();
        }
        AnnotationStore.Saved onDisk = sink.disk.get(image.toAbsolutePath());
        assertThat(onDisk.state()).isEqualTo(AnnotationState.EXPORTED);
        assertThat(onDisk.mask()).isEqualTo(mask(13));
    }

    @Test
    void theNewestProjectOfAFolderIsWrittenBesideItsImages() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Project first = Project.of(PromptSet.of("road"), null);
        Project second = Project.of(PromptSet.of("road", "car"), "/models/mine.seglight");
        try (Autosaver saver = new Autosaver(file -> AnnotationStore.forFolder(file.getParent(),
                dir.resolve("home")))) {
            saver.saveProject(images, first);
            saver.saveProject(images, second);
            assertThat(saver.flush(LONG)).isTrue();
        }
        assertThat(ProjectFile.read(AnnotationStore.forFolder(images, dir.resolve("home")))).contains(second);
    }

    @Test
    void theWriterIsOneNamedDaemonThread() {
        try (Autosaver saver = over(new FakeSink())) {
            List<Thread> writers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("seglight-autosave")).toList();
            assertThat(writers).isNotEmpty().allMatch(Thread::isDaemon);
            assertThat(saver.pending()).isEmpty();
        }
    }
}

package org.seglight.annotation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.seglight.mask.LabelMask;
import org.seglight.text.PromptSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write-behind cache in front of the annotation stores: a save returns at once and one background thread
 * writes, so the user never waits for the disk and every image sees its saves and loads in one order.
 *
 * <p>Saves used to run on unordered threads, so an older mask could reach the disk after a newer one, and a load
 * could read the disk while the newest edit was still on its way there. Here each image has at most one pending
 * snapshot (a newer save replaces an older one not yet written), images are written in the order they were first
 * queued, and {@link #load} and {@link #state} answer from the pending snapshot before the disk. A write that
 * fails keeps its snapshot pending, to be tried again by the next save of the image or by {@link #flush}, and
 * the failure listener is told, so no edit is dropped silently.
 */
public final class Autosaver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Autosaver.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** What the autosaver writes through: a folder's {@link AnnotationStore}, or a stand-in in tests. */
    interface Sink {
        void save(Path image, LabelMask mask, PromptSet classes, List<Integer> slots, AnnotationState state)
                throws IOException;

        Optional<AnnotationStore.Saved> load(Path image) throws IOException;

        AnnotationState state(Path image);

        void markExported(Path image) throws IOException;

        void saveProject(Project project) throws IOException;

        static Sink of(AnnotationStore store) {
            return new Sink() {
                @Override
                public void save(Path image, LabelMask mask, PromptSet classes, List<Integer> slots,
                        AnnotationState state) throws IOException {
                    store.save(image, mask, classes, slots, state);
                }

                @Override
                public Optional<AnnotationStore.Saved> load(Path image) throws IOException {
                    return store.load(image);
                }

                @Override
                public AnnotationState state(Path image) {
                    return store.state(image);
                }

                @Override
                public void markExported(Path image) throws IOException {
                    store.markExported(image);
                }

                @Override
                public void saveProject(Project project) throws IOException {
                    ProjectFile.write(store, project);
                }
            };
        }
    }

    /** One queued write, of an image or of a folder's project. */
    private sealed interface Op {
        /** The image, or the folder of a project: what the listeners and the log are told. */
        Path path();

        /** The file the store is chosen by. */
        Path storeKey();

        void writeTo(Sink sink) throws IOException;
    }

    private record Snapshot(Path path, LabelMask mask, PromptSet classes, List<Integer> slots,
            AnnotationState state, Instant queued) implements Op {
        @Override
        public Path storeKey() {
            return path;
        }

        @Override
        public void writeTo(Sink sink) throws IOException {
            sink.save(path, mask, classes, slots, state);
        }
    }

    private record MarkExported(Path path) implements Op {
        @Override
        public Path storeKey() {
            return path;
        }

        @Override
        public void writeTo(Sink sink) throws IOException {
            sink.markExported(path);
        }
    }

    private record SaveProject(Path path, Project project) implements Op {
        @Override
        public Path storeKey() {
            return path.resolve(ProjectFile.NAME); // a file in the folder picks the folder's store
        }

        @Override
        public void writeTo(Sink sink) throws IOException {
            sink.saveProject(project);
        }
    }

    /** The queue key of a folder's project, apart from the images. */
    private record ProjectKey(Path folder) {}

    /**
     * A queued write. Its identity tells the writer whether it is still the newest for its key once written;
     * the mutable fields are guarded by the lock.
     */
    private static final class Entry {
        final Op op;
        final long seq;
        /** The newest {@link #seq} of this key already on disk, carried over when a newer entry replaces one. */
        long writtenUpTo;
        /** Whether its last write failed: it waits for a newer save or a flush instead of being retried at once. */
        boolean failed;

        Entry(Op op, long seq, long writtenUpTo) {
            this.op = op;
            this.seq = seq;
            this.writtenUpTo = writtenUpTo;
        }
    }

    private final Function<Path, Sink> sinkFor;
    private final Duration closeTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Pending writes in the order their keys were first queued; a replaced entry keeps its key's place. */
    private final LinkedHashMap<Object, Entry> queue = new LinkedHashMap<>();
    private final Thread writer;
    private long seq;
    private boolean closed;
    private boolean stopped;
    private volatile Consumer<Path> onWritten = path -> {};
    private volatile BiConsumer<Path, IOException> onFailure = (path, e) -> {};

    /**
     * An autosaver writing through the stores {@code storeFor} gives.
     *
     * @param storeFor the store that keeps the annotation of a file, chosen by the file's folder (as the image
     *     browser's {@code storeFor(image)}); for a folder's project it is asked with
     *     {@code <folder>/project.json}
     */
    public Autosaver(Function<Path, AnnotationStore> storeFor) {
        this(path -> Sink.of(storeFor.apply(path)), CLOSE_TIMEOUT);
    }

    /** An autosaver writing through {@code sinkFor}, whose {@link #close} waits up to {@code closeTimeout}. */
    Autosaver(Function<Path, Sink> sinkFor, Duration closeTimeout) {
        this.sinkFor = Objects.requireNonNull(sinkFor, "sinkFor");
        this.closeTimeout = closeTimeout;
        this.writer = new Thread(this::writeLoop, "seglight-autosave");
        writer.setDaemon(true);
        writer.start();
    }

    // Commands

    /**
     * Queues a snapshot of an image's annotation and returns at once. It replaces the image's snapshot that is
     * not yet written, if any: the newest save wins.
     *
     * @throws IllegalStateException when the autosaver is closed
     */
    public void save(Path image, LabelMask mask, PromptSet classes, AnnotationState state) {
        save(image, mask, classes, Collections.nCopies(classes.size(), ProjectClass.PAINTED), state);
    }

    /**
     * As {@link #save(Path, LabelMask, PromptSet, AnnotationState)}, with the model slot each class reads
     * ({@link ProjectClass#PAINTED} for none), so a class renamed later still follows its slot.
     */
    public void save(Path image, LabelMask mask, PromptSet classes, List<Integer> slots, AnnotationState state) {
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(state, "state");
        List<Integer> slotList = List.copyOf(slots);
        if (slotList.size() != classes.size()) {
            throw new IllegalArgumentException(classes.size() + " classes need as many slots, got "
                    + slotList.size());
        }
        Path key = key(image);
        enqueue(key, old -> new Snapshot(key, mask, classes, slotList, state, Instant.now()));
    }

    /**
     * Records that the image was exported, after any pending save of it: a pending snapshot is written as
     * exported; otherwise the saved annotation is marked, and nothing happens when none is saved.
     *
     * @throws IllegalStateException when the autosaver is closed
     */
    public void markExported(Path image) {
        Path key = key(image);
        enqueue(key, old -> old instanceof Snapshot s
                ? new Snapshot(key, s.mask(), s.classes(), s.slots(), AnnotationState.EXPORTED, s.queued())
                : new MarkExported(key));
    }

    /**
     * Queues the folder's class table for {@code project.json}; a newer one for the same folder replaces it.
     *
     * @throws IllegalStateException when the autosaver is closed
     */
    public void saveProject(Path folder, Project project) {
        Objects.requireNonNull(project, "project");
        Path dir = folder.toAbsolutePath().normalize();
        enqueue(new ProjectKey(dir), old -> new SaveProject(dir, project));
    }

    /**
     * Waits until everything queued before the call is on disk, trying failed writes once more.
     *
     * @return true when it is; false when the timeout passed, a write it waited for failed again (the failure
     *     listener was told why) or the thread was interrupted
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            Map<Object, Long> awaited = new HashMap<>();
            for (Map.Entry<Object, Entry> e : queue.entrySet()) {
                awaited.put(e.getKey(), e.getValue().seq);
                e.getValue().failed = false;
            }
            changed.signalAll();
            while (true) {
                awaited.entrySet().removeIf(a -> {
                    Entry e = queue.get(a.getKey());
                    return e == null || e.writtenUpTo >= a.getValue();
                });
                if (awaited.isEmpty()) {
                    return true;
                }
                if (stopped || awaited.keySet().stream().anyMatch(k -> queue.get(k).failed)) {
                    return false;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes what is pending (waiting up to 30 s), logs what is left unwritten, naming it, and stops the writer.
     * Loads still answer from the snapshots left; saves are refused.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        flush(closeTimeout);
        List<Path> left = new ArrayList<>();
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
            queue.values().forEach(e -> left.add(e.op.path()));
        } finally {
            lock.unlock();
        }
        if (!left.isEmpty()) {
            LOG.warn("Closing the autosaver with {} edit(s) not written to disk: {}", left.size(), left);
        }
    }

    /**
     * Tells {@code listener}, on the writer thread, of each image (or project folder) written, before a
     * {@link #flush} waiting for it returns. The listener must not call {@code flush} itself.
     */
    public void setOnWritten(Consumer<Path> listener) {
        onWritten = listener != null ? listener : path -> {};
    }

    /**
     * Tells {@code listener}, on the writer thread, of each write that failed; the snapshot stays pending and is
     * tried again by the image's next save or by {@link #flush}. The listener must not call {@code flush} itself.
     */
    public void setOnFailure(BiConsumer<Path, IOException> listener) {
        onFailure = listener != null ? listener : (path, e) -> {};
    }

    // Queries

    /**
     * The image's annotation: the snapshot not yet written (or being written) if there is one, else the store's.
     *
     * @throws IOException when the store's save cannot be read ({@link AnnotationStore#load} says why)
     */
    public Optional<AnnotationStore.Saved> load(Path image) throws IOException {
        Path key = key(image);
        Op op = pendingOp(key);
        if (op instanceof Snapshot s) {
            return Optional.of(new AnnotationStore.Saved(s.mask(), s.classes(), s.slots(), s.state(), s.queued()));
        }
        Optional<AnnotationStore.Saved> saved;
        try {
            saved = sinkFor.apply(key).load(key);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return op instanceof MarkExported
                ? saved.map(s -> new AnnotationStore.Saved(s.mask(), s.classes(), s.slots(), AnnotationState.EXPORTED,
                        s.saved()))
                : saved;
    }

    /** The state of the image's annotation, from the pending snapshot if there is one, else from the store. */
    public AnnotationState state(Path image) {
        Path key = key(image);
        Op op = pendingOp(key);
        if (op instanceof Snapshot s) {
            return s.state();
        }
        AnnotationState onDisk = sinkFor.apply(key).state(key);
        return op instanceof MarkExported && onDisk != AnnotationState.NONE ? AnnotationState.EXPORTED : onDisk;
    }

    /** The images whose newest save or export mark is not on disk yet, in the order they are written. */
    public Set<Path> pending() {
        lock.lock();
        try {
            Set<Path> images = new LinkedHashSet<>();
            queue.forEach((k, e) -> {
                if (k instanceof Path p) {
                    images.add(p);
                }
            });
            return Collections.unmodifiableSet(images);
        } finally {
            lock.unlock();
        }
    }

    // The writer

    private void enqueue(Object key, Function<Op, Op> next) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the autosaver is closed");
            }
            Entry old = queue.get(key);
            Op op = next.apply(old == null ? null : old.op);
            queue.put(key, new Entry(op, ++seq, old == null ? 0 : old.writtenUpTo));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Op pendingOp(Path key) {
        lock.lock();
        try {
            Entry e = queue.get(key);
            return e == null ? null : e.op;
        } finally {
            lock.unlock();
        }
    }

    private void writeLoop() {
        while (true) {
            Object key;
            Entry entry;
            lock.lock();
            try {
                Map.Entry<Object, Entry> next;
                while ((next = nextToWrite()) == null) {
                    if (stopped) {
                        return;
                    }
                    changed.await();
                }
                if (stopped) {
                    return;
                }
                key = next.getKey();
                entry = next.getValue();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            IOException failure = write(entry.op);
            if (failure == null) {
                tell(entry.op.path(), null); // before a flush can see it, so a flush that returns follows the news
            }
            lock.lock();
            try {
                Entry now = queue.get(key);
                if (failure == null) {
                    if (now == entry) {
                        queue.remove(key);
                    } else if (now != null) {
                        now.writtenUpTo = Math.max(now.writtenUpTo, entry.seq);
                    }
                } else if (now == entry) {
                    entry.failed = true;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (failure != null) {
                tell(entry.op.path(), failure); // after it is marked, so a flush the listener prompts retries it
            }
        }
    }

    private Map.Entry<Object, Entry> nextToWrite() {
        for (Map.Entry<Object, Entry> e : queue.entrySet()) {
            if (!e.getValue().failed) {
                return e;
            }
        }
        return null;
    }

    private IOException write(Op op) {
        try {
            op.writeTo(sinkFor.apply(op.storeKey()));
            return null;
        } catch (IOException e) {
            return e;
        } catch (UncheckedIOException e) {
            return e.getCause();
        } catch (RuntimeException e) {
            return new IOException("Cannot autosave " + op.path() + ": " + e, e);
        }
    }

    private void tell(Path path, IOException failure) {
        try {
            if (failure == null) {
                onWritten.accept(path);
            } else {
                LOG.warn("Autosave of {} failed; it stays pending and is tried again", path, failure);
                onFailure.accept(path, failure);
            }
        } catch (RuntimeException e) {
            LOG.error("An autosave listener failed for {}", path, e);
        }
    }

    private static Path key(Path image) {
        Objects.requireNonNull(image, "image");
        if (image.getFileName() == null) {
            throw new IllegalArgumentException(image + " is not an image file");
        }
        return image.toAbsolutePath().normalize();
    }
}

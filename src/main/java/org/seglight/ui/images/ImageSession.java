package org.seglight.ui.images;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.seglight.annotation.AnnotationStore;
import org.seglight.annotation.Autosaver;
import org.seglight.annotation.ImageEdits;
import org.seglight.inference.SegmentationResult;
import org.seglight.io.ImageLoader;
import org.seglight.io.UnsupportedImageException;
import org.seglight.task.CancelledException;
import org.seglight.task.Progress;
import org.seglight.ui.common.Lane;
import org.seglight.ui.common.TaskRunner;

/**
 * The open image and the images seen before it in this session: each keeps its decoded pixels (within a
 * memory budget), its {@link ImageEdits} with their undo history, and its last segmentation, so that coming
 * back to an image is instant and loses nothing. Opening an image it has not seen reads it and its saved
 * annotation in the background, through the {@link Autosaver}, which answers with the newest snapshot even when
 * that is still being written.
 *
 * <p>A file that decodes only in part (cut short, damaged) opens with what was read, and its damage is said for
 * as long as it is open ({@link #damageProperty}), with the loader's notes (the first page of several, ...), so
 * the user may still label what is there but never takes it for the whole picture. Reading reports its progress
 * and stops when cancelled.
 */
public final class ImageSession {

    /** Decoded images kept for quick return, in bytes of pixels. */
    static final long IMAGE_CACHE_BYTES = 768L << 20;
    /** Images whose edits (and undo history) are kept in memory; older ones are saved and let go. */
    static final int EDITS_KEPT = 48;

    /** What a background open brings back: the image as read (with its damage and notes) and its saved mask. */
    public record Opened(Path path, ImageLoader.Loaded loaded, Optional<AnnotationStore.Saved> saved) {

        public BufferedImage image() {
            return loaded.image();
        }
    }

    private final TaskRunner runner;
    private final Autosaver autosaver;
    private final ReadOnlyObjectWrapper<Path> path = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<BufferedImage> image = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<SegmentationResult> result = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper damage = new ReadOnlyStringWrapper();
    private final ReadOnlyObjectWrapper<List<String>> notes = new ReadOnlyObjectWrapper<>(List.of());
    private final LinkedHashMap<Path, ImageLoader.Loaded> images = new LinkedHashMap<>(16, 0.75f, true);
    /** The damage of every image read in this session whose file decoded only in part. */
    private final Map<Path, String> damaged = new java.util.HashMap<>();
    private final LinkedHashMap<Path, ImageEdits> edits = new LinkedHashMap<>(16, 0.75f, true);
    /**
     * The latest segmentations, so revisiting an image shows its mask at once: at most 8, and within
     * {@link #RESULT_CACHE_BYTES} (one 300-megapixel result alone is about 0.6 GB); the newest always stays.
     */
    private final LinkedHashMap<Path, SegmentationResult> results = new LinkedHashMap<>(16, 0.75f, true);

    /** Bytes of segmentations kept for revisits (labels, probabilities, maps). */
    static final long RESULT_CACHE_BYTES = 512L << 20;
    private long imageBytes;

    public ImageSession(TaskRunner runner, Autosaver autosaver) {
        this.runner = runner;
        this.autosaver = autosaver;
    }

    /**
     * Makes {@code p} the open image. Known images show at once ({@code onShown} is called before this
     * returns); others are read in the background and {@code onOpened} receives them, then {@code onShown}
     * once they are on screen. Until then the viewer shows nothing, so no stroke can land on the wrong image.
     */
    public void open(Path p, BiConsumer<Opened, ImageEdits> onOpened, Runnable onShown,
            BiConsumer<Path, Throwable> onError) {
        Path previous = path.get();
        path.set(p);
        ImageLoader.Loaded known = images.get(p);
        ImageEdits e = edits.get(p);
        if (known != null && e != null) {
            show(known);
            result.set(results.get(p));
            onShown.run();
            return;
        }
        show(null);
        result.set(null);
        runner.run(Lane.IO, "Opening " + p.getFileName(), true, progress -> {
            progress.update("Opening " + p.getFileName(), 0, 0);
            ImageLoader.Loaded img = known != null ? known : read(p, progress);
            Optional<AnnotationStore.Saved> saved;
            try {
                saved = autosaver.load(p);
            } catch (java.io.IOException ex) {
                saved = Optional.empty(); // a broken autosave must not keep the image from opening
            }
            return new Opened(p, img, saved);
        }, o -> {
            keepImage(p, o.loaded());
            ImageEdits existing = edits.get(p);
            onOpened.accept(o, existing);
            if (p.equals(path.get())) {
                show(o.loaded());
                result.set(results.get(p));
                onShown.run();
            }
        }, ex -> {
            if (p.equals(path.get())) {
                path.set(previous); // the image that was open stays open
                show(previous == null ? null : images.get(previous));
                result.set(previous == null ? null : results.get(previous));
            }
            onError.accept(p, ex);
        });
    }

    /**
     * Reads an image with what it tells of its progress in {@code progress}, which may stop it: a damaged file
     * gives what was read, with its damage.
     */
    static ImageLoader.Loaded read(Path p, Progress progress) throws UnsupportedImageException {
        String title = "Opening " + p.getFileName();
        int[] shown = {-1};
        try {
            return ImageLoader.load(p, percent -> {
                int now = Math.round(percent);
                if (now != shown[0]) { // a large PNG reports every row: one update per percent is plenty
                    shown[0] = now;
                    progress.update(title, now, 100);
                }
                return !progress.isCancelled();
            });
        } catch (CancellationException e) {
            throw new CancelledException(title + ": cancelled");
        }
    }

    /**
     * Shows no image, as when the strip no longer lists the one that was open (another folder whose images
     * could not be read): the viewer does not go on showing a picture from elsewhere. Edits stay kept.
     */
    public void clear() {
        path.set(null);
        show(null);
        result.set(null);
    }

    private void show(ImageLoader.Loaded loaded) {
        image.set(loaded == null ? null : loaded.image());
        damage.set(loaded == null ? null : loaded.damage());
        notes.set(loaded == null ? List.of() : loaded.notes());
    }

    /**
     * The damage of an image read in this session, in words, or empty when it was read whole or not read yet
     * (exports and learning ask before they use a damaged image).
     */
    public Optional<String> damage(Path p) {
        return Optional.ofNullable(damaged.get(p));
    }

    /** The edits of an image, if it was seen in this session. */
    public ImageEdits edits(Path p) {
        return p == null ? null : edits.get(p);
    }

    /** Keeps an image's edits for the session (older images' edits are let go once saved). */
    public void keep(Path p, ImageEdits e) {
        edits.put(p, e);
        if (edits.size() > EDITS_KEPT) {
            edits.entrySet().stream().filter(x -> !x.getKey().equals(path.get()) && !x.getValue().needsSave())
                    .map(Map.Entry::getKey).findFirst().ifPresent(edits::remove);
        }
    }

    /** Every image whose edits are kept, most recently used last. */
    public Map<Path, ImageEdits> allEdits() {
        return java.util.Collections.unmodifiableMap(edits);
    }

    /** A segmentation of image {@code p} arrived. */
    public void setResult(Path p, SegmentationResult r) {
        results.put(p, r);
        long bytes = results.values().stream().mapToLong(ImageSession::bytes).sum();
        var it = results.entrySet().iterator();
        while ((results.size() > 8 || bytes > RESULT_CACHE_BYTES) && it.hasNext()) {
            var e = it.next();
            if (e.getKey().equals(p) || e.getKey().equals(path.get())) {
                continue; // the newest and the one on screen stay
            }
            bytes -= bytes(e.getValue());
            it.remove();
        }
        if (p.equals(path.get())) {
            result.set(r);
        }
    }

    /** The images whose segmentation is kept, least recently used first. */
    List<Path> cachedResults() {
        return List.copyOf(results.keySet());
    }

    /** Forgets every segmentation (the model or the prompts changed). */
    public void clearResults() {
        results.clear();
    }

    private void keepImage(Path p, ImageLoader.Loaded img) {
        if (img.damaged()) {
            damaged.put(p, img.damage());
        } else {
            damaged.remove(p);
        }
        if (images.put(p, img) == null) {
            imageBytes += bytes(img.image());
        }
        var it = images.entrySet().iterator();
        while (imageBytes > IMAGE_CACHE_BYTES && it.hasNext()) {
            var x = it.next();
            if (!x.getKey().equals(path.get())) {
                imageBytes -= bytes(x.getValue().image());
                it.remove();
            }
        }
    }

    /** What a segmentation holds, roughly: labels, probabilities, S0 and S, attention. */
    static long bytes(SegmentationResult r) {
        long n = (long) r.mask().width() * r.mask().height() + 4L * r.probabilities().data().length;
        n += r.s0() == null ? 0 : 4L * r.s0().data().length;
        n += r.s() == null ? 0 : 4L * r.s().data().length;
        for (float[][] maps : new float[][][] {r.attention().c2f(), r.attention().f2c()}) {
            for (float[] m : maps == null ? new float[0][] : maps) {
                n += m == null ? 0 : 4L * m.length;
            }
        }
        return n;
    }

    private static long bytes(BufferedImage img) {
        return 4L * img.getWidth() * img.getHeight();
    }

    public ReadOnlyObjectProperty<Path> pathProperty() {
        return path.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<BufferedImage> imageProperty() {
        return image.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<SegmentationResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** The open image's damage in words when its file decoded only in part, else null. */
    public ReadOnlyStringProperty damageProperty() {
        return damage.getReadOnlyProperty();
    }

    /** What the loader noted about the open image: the first page of several, a stretched 16-bit range, ... */
    public ReadOnlyObjectProperty<List<String>> notesProperty() {
        return notes.getReadOnlyProperty();
    }
}

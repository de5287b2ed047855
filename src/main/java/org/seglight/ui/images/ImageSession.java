package org.seglight.ui.images;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.seglight.annotation.AnnotationStore;
import org.seglight.annotation.Autosaver;
import org.seglight.annotation.ImageEdits;
import org.seglight.inference.SegmentationResult;
import org.seglight.io.ImageLoader;
import org.seglight.ui.common.Lane;
import org.seglight.ui.common.TaskRunner;

/**
 * The open image and the images seen before it in this session: each keeps its decoded pixels (within a
 * memory budget), its {@link ImageEdits} with their undo history, and its last segmentation, so that coming
 * back to an image is instant and loses nothing. Opening an image it has not seen reads it and its saved
 * annotation in the background, through the {@link Autosaver}, which answers with the newest snapshot even when
 * that is still being written.
 */
public final class ImageSession {

    /** Decoded images kept for quick return, in bytes of pixels. */
    static final long IMAGE_CACHE_BYTES = 768L << 20;
    /** Images whose edits (and undo history) are kept in memory; older ones are saved and let go. */
    static final int EDITS_KEPT = 48;

    /** What a background open brings back. */
    public record Opened(Path path, BufferedImage image, Optional<AnnotationStore.Saved> saved) {}

    private final TaskRunner runner;
    private final Autosaver autosaver;
    private final ReadOnlyObjectWrapper<Path> path = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<BufferedImage> image = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<SegmentationResult> result = new ReadOnlyObjectWrapper<>();
    private final LinkedHashMap<Path, BufferedImage> images = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<Path, ImageEdits> edits = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Path, SegmentationResult> results = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, SegmentationResult> e) {
            return size() > 8;
        }
    };
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
        BufferedImage known = images.get(p);
        ImageEdits e = edits.get(p);
        if (known != null && e != null) {
            image.set(known);
            result.set(results.get(p));
            onShown.run();
            return;
        }
        image.set(null);
        result.set(null);
        runner.run(Lane.IO, "Opening " + p.getFileName(), true, progress -> {
            progress.update("Opening " + p.getFileName(), 0, 0);
            BufferedImage img = known != null ? known : ImageLoader.read(p);
            Optional<AnnotationStore.Saved> saved;
            try {
                saved = autosaver.load(p);
            } catch (java.io.IOException ex) {
                saved = Optional.empty(); // a broken autosave must not keep the image from opening
            }
            return new Opened(p, img, saved);
        }, o -> {
            keepImage(p, o.image());
            ImageEdits existing = edits.get(p);
            onOpened.accept(o, existing);
            if (p.equals(path.get())) {
                image.set(o.image());
                result.set(results.get(p));
                onShown.run();
            }
        }, ex -> {
            if (p.equals(path.get())) {
                path.set(previous); // the image that was open stays open
                image.set(previous == null ? null : images.get(previous));
                result.set(previous == null ? null : results.get(previous));
            }
            onError.accept(p, ex);
        });
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
        if (p.equals(path.get())) {
            result.set(r);
        }
    }

    /** Forgets every segmentation (the model or the prompts changed). */
    public void clearResults() {
        results.clear();
    }

    private void keepImage(Path p, BufferedImage img) {
        if (images.put(p, img) == null) {
            imageBytes += bytes(img);
        }
        var it = images.entrySet().iterator();
        while (imageBytes > IMAGE_CACHE_BYTES && it.hasNext()) {
            var x = it.next();
            if (!x.getKey().equals(path.get())) {
                imageBytes -= bytes(x.getValue());
                it.remove();
            }
        }
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
}

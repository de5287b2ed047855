package org.seglight.ui.images;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.seglight.annotation.AnnotationState;
import org.seglight.annotation.AnnotationStore;
import org.seglight.io.ImageLoader;

/**
 * The images the user works through: a folder's images or chosen files, each with its annotation state, the
 * current position, and the recent list.
 */
public final class ImagesViewModel {

    /** One image in the strip. */
    public static final class Item {
        private final Path path;
        private final ObjectProperty<AnnotationState> state = new SimpleObjectProperty<>(AnnotationState.NONE);
        private final javafx.beans.property.DoubleProperty confidence =
                new javafx.beans.property.SimpleDoubleProperty(Double.NaN);
        private final javafx.beans.property.StringProperty problem =
                new javafx.beans.property.SimpleStringProperty();

        Item(Path path, AnnotationState state) {
            this.path = path;
            this.state.set(state);
        }

        public Path path() {
            return path;
        }

        public ObjectProperty<AnnotationState> stateProperty() {
            return state;
        }

        /** Why the file could not be read, once an attempt failed; null while it has not failed. */
        public javafx.beans.property.StringProperty problemProperty() {
            return problem;
        }

        /** The model's mean confidence on this image (0..1, the mean top probability), or NaN when unknown. */
        public javafx.beans.property.DoubleProperty confidenceProperty() {
            return confidence;
        }

        @Override
        public String toString() {
            return path.getFileName().toString();
        }
    }

    /** Which images the strip shows. */
    public enum Filter {
        ALL("All images"),
        TO_REVIEW("To review"),
        REVIEWED("Reviewed or exported"),
        EDITED("Edited, not reviewed"),
        UNTOUCHED("Not edited"),
        UNREADABLE("Cannot be read");

        private final String label;

        Filter(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** Whether the strip shows this image under the filter. */
        public boolean matches(Item i) {
            boolean unreadable = i.problemProperty().get() != null;
            AnnotationState s = i.stateProperty().get();
            boolean done = s == AnnotationState.REVIEWED || s == AnnotationState.EXPORTED;
            return switch (this) {
                case ALL -> true;
                case TO_REVIEW -> !unreadable && !done;
                case REVIEWED -> done;
                case EDITED -> !unreadable && s == AnnotationState.EDITED;
                case UNTOUCHED -> !unreadable && s == AnnotationState.NONE;
                case UNREADABLE -> unreadable;
            };
        }
    }

    // Properties
    /** Every listed image; a change of an image's state or problem is a change of the list (for the filter). */
    private final ObservableList<Item> items = FXCollections.observableArrayList(
            i -> new javafx.beans.Observable[] {i.stateProperty(), i.problemProperty()});
    private final ObjectProperty<Filter> filter = new SimpleObjectProperty<>(Filter.ALL);
    /** The images the strip shows: those the filter lets through, and the open one. */
    private final javafx.collections.transformation.FilteredList<Item> shown = new javafx.collections.transformation
            .FilteredList<>(items);
    private final javafx.beans.property.ReadOnlyStringWrapper summary = new javafx.beans.property
            .ReadOnlyStringWrapper("");
    private final ReadOnlyIntegerWrapper current = new ReadOnlyIntegerWrapper(-1);
    private final ObservableList<Path> recent = FXCollections.observableArrayList();

    private final RecentFiles recentFiles;
    /** Read from the UI thread, the IO lane and the autosave writer. */
    private final Map<Path, AnnotationStore> stores = new java.util.concurrent.ConcurrentHashMap<>();

    public ImagesViewModel(RecentFiles recentFiles) {
        this.recentFiles = recentFiles;
        recent.setAll(recentFiles.list());
        filter.addListener((o, a, b) -> refilter());
        current.addListener((o, a, b) -> refilter());
        items.addListener((javafx.collections.ListChangeListener<Item>) c -> summary.set(summarize()));
        refilter();
    }

    private void refilter() {
        Filter f = filter.get();
        Item open = currentItem();
        shown.setPredicate(i -> i == open || f.matches(i));
    }

    private Item currentItem() {
        int i = current.get();
        return i >= 0 && i < items.size() ? items.get(i) : null;
    }

    /** How many listed images the filter lets through. */
    public int count(Filter f) {
        return (int) items.stream().filter(f::matches).count();
    }

    private String summarize() {
        if (items.isEmpty()) {
            return "";
        }
        int unreadable = count(Filter.UNREADABLE);
        return count(Filter.REVIEWED) + " of " + items.size() + " reviewed · " + count(Filter.EDITED) + " edited · "
                + count(Filter.UNTOUCHED) + " not edited" + (unreadable > 0 ? " · " + unreadable + " unreadable" : "");
    }

    // Commands

    /** Lists a folder's images (sorted by name); returns how many. */
    public int openFolder(Path folder) throws IOException {
        List<Path> files = ImageLoader.listImages(folder);
        if (files.isEmpty()) {
            throw new IOException(folder.getFileName() + " holds no images Seglight reads ("
                    + String.join(", ", ImageLoader.EXTENSIONS.stream().sorted().toList()) + ")");
        }
        setItems(files, 0);
        remember(folder);
        return files.size();
    }

    /**
     * Opens chosen files. A single file also lists its folder's images in the strip, so the user can step
     * through them.
     */
    public void openFiles(List<Path> files) throws IOException {
        if (files.size() == 1 && files.getFirst().getParent() != null) {
            Path file = files.getFirst().toAbsolutePath();
            List<Path> siblings = ImageLoader.listImages(file.getParent());
            if (!siblings.contains(file)) {
                siblings = List.of(file);
            }
            setItems(siblings, siblings.indexOf(file)); // straight to the file: its neighbours are not read
        } else {
            setItems(files.stream().map(Path::toAbsolutePath).toList(), 0);
        }
        files.forEach(this::remember);
    }

    /** Lists images as not edited; their saved states are read in the background ({@link #setState}). */
    private void setItems(List<Path> files, int selected) {
        current.set(-1);
        items.setAll(files.stream().map(f -> new Item(f.toAbsolutePath(), AnnotationState.NONE)).toList());
        current.set(items.isEmpty() ? -1 : Math.max(0, selected));
    }

    /**
     * Orders the strip by the model's confidence, least sure first (images not scored yet last); the open
     * image stays open and selected.
     */
    public void sortByConfidence() {
        Path open = currentPath();
        List<Item> sorted = new java.util.ArrayList<>(items);
        sorted.sort(java.util.Comparator.comparingDouble((Item i) -> {
            double c = i.confidenceProperty().get();
            return Double.isNaN(c) ? Double.POSITIVE_INFINITY : c;
        }));
        current.set(-1);
        items.setAll(sorted);
        current.set(open == null ? (items.isEmpty() ? -1 : 0) : sorted.stream().map(Item::path).toList().indexOf(open));
    }

    /** The item of a listed image, if any. */
    public java.util.Optional<Item> item(Path image) {
        Path abs = image.toAbsolutePath();
        return items.stream().filter(i -> i.path().equals(abs)).findFirst();
    }

    private void remember(Path p) {
        recentFiles.add(p);
        recent.setAll(recentFiles.list());
    }

    /** Moves to image i (clamped); returns whether the position changed. */
    public boolean select(int i) {
        int to = Math.max(0, Math.min(items.size() - 1, i));
        if (items.isEmpty() || to == current.get()) {
            return false;
        }
        current.set(to);
        return true;
    }

    /** Moves to the image at {@code p}, if listed. */
    public boolean selectPath(Path p) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).path().equals(p)) {
                return select(i);
            }
        }
        return false;
    }

    /** Marks a listed image as unreadable, with the reason the strip shows. */
    public void markUnreadable(Path image, String why) {
        item(image).ifPresent(i -> i.problemProperty().set(why));
    }

    /**
     * The first listed image from position {@code from} on (wrapping around) not marked unreadable, or -1 when
     * every one is.
     */
    public int nextReadable(int from) {
        for (int k = 0; k < items.size(); k++) {
            int i = (from + k) % items.size();
            if (items.get(i).problemProperty().get() == null) {
                return i;
            }
        }
        return -1;
    }

    /** Moves to the next image the strip shows (the filter's), if any. */
    public boolean next() {
        return step(1);
    }

    /** Moves to the previous image the strip shows, if any. */
    public boolean previous() {
        return step(-1);
    }

    private boolean step(int direction) {
        Filter f = filter.get();
        for (int i = current.get() + direction; i >= 0 && i < items.size(); i += direction) {
            if (f.matches(items.get(i))) {
                return select(i);
            }
        }
        return false;
    }

    /** Where annotations of this image are autosaved (beside it, or in the user's folder if that is read-only). */
    public AnnotationStore storeFor(Path image) {
        Path folder = image.toAbsolutePath().getParent();
        return stores.computeIfAbsent(folder, f -> {
            try {
                return AnnotationStore.forFolder(f);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("Cannot keep edits beside " + f + " nor in the user's folder: "
                        + e.getMessage(), e);
            }
        });
    }

    /** The state the strip shows for an image. */
    public AnnotationState state(Path image) {
        Path abs = image.toAbsolutePath();
        return items.stream().filter(i -> i.path().equals(abs)).map(i -> i.stateProperty().get()).findFirst()
                .orElse(AnnotationState.NONE);
    }

    public void setState(Path image, AnnotationState state) {
        items.stream().filter(i -> i.path().equals(image.toAbsolutePath())).forEach(i -> i.stateProperty().set(state));
    }

    // Derived state

    public ObservableList<Item> items() {
        return items;
    }

    /** The images the strip shows: the filter's, and the open one whatever its state. */
    public ObservableList<Item> shown() {
        return shown;
    }

    public ObjectProperty<Filter> filterProperty() {
        return filter;
    }

    /** "12 of 101 reviewed · 5 edited · 84 not edited" for the strip's foot. */
    public javafx.beans.property.ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty currentProperty() {
        return current.getReadOnlyProperty();
    }

    public Path currentPath() {
        int i = current.get();
        return i >= 0 && i < items.size() ? items.get(i).path() : null;
    }

    public ObservableList<Path> recent() {
        return recent;
    }
}

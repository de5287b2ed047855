package org.seglight.ui.images;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.seglight.annotation.AnnotationState;

/**
 * The strip of the folder's images: a thumbnail (decoded in the background at thumbnail size), the name and
 * the annotation state of each; selecting one opens it. It lists the images its view-model's filter shows
 * ({@link ImagesViewModel#shown()}); {@link #panel} puts the filter, with its counts, above it.
 */
public final class ImageStripView extends ListView<ImagesViewModel.Item> {

    private static final int THUMB = 64;
    private final Map<Path, Image> thumbs = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Image> e) {
            return size() > 300;
        }
    };

    public ImageStripView(ImagesViewModel vm) {
        super(vm.shown());
        setId("image-strip");
        setPrefWidth(200);
        setCellFactory(l -> new Cell());
        Runnable follow = () -> {
            int at = vm.currentProperty().get() < 0 ? -1 : vm.shown().indexOf(vm.items().get(vm.currentProperty().get()));
            if (getSelectionModel().getSelectedIndex() != at) {
                if (at < 0) {
                    getSelectionModel().clearSelection();
                } else {
                    getSelectionModel().select(at);
                    scrollTo(Math.max(0, at - 2));
                }
            }
        };
        vm.currentProperty().addListener((o, a, b) -> follow.run());
        vm.shown().addListener((javafx.collections.ListChangeListener<ImagesViewModel.Item>) c -> follow.run());
        getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            int i = b.intValue();
            if (i >= 0 && i < vm.shown().size()) {
                vm.select(vm.items().indexOf(vm.shown().get(i)));
            }
        });
    }

    /**
     * The strip under its filter (all images, to review, reviewed, edited, not edited, unreadable, each with its
     * count), with the folder's progress ("12 of 101 reviewed · …") at its foot.
     */
    public static VBox panel(ImagesViewModel vm) {
        ImageStripView strip = new ImageStripView(vm);
        javafx.scene.control.ComboBox<ImagesViewModel.Filter> filter = new javafx.scene.control.ComboBox<>(
                javafx.collections.FXCollections.observableArrayList(ImagesViewModel.Filter.values()));
        filter.setId("strip-filter");
        filter.setFocusTraversable(false); // the window's first focus stays on the strip, whose arrows step
        filter.setMaxWidth(Double.MAX_VALUE);
        filter.setTooltip(new javafx.scene.control.Tooltip("Which images the strip shows; Page Up / Down step "
                + "through these"));
        filter.valueProperty().bindBidirectional(vm.filterProperty());
        // Each filter with its count, kept current as images are edited and reviewed.
        java.util.function.Supplier<ListCell<ImagesViewModel.Filter>> cell = () -> new ListCell<>() {
            {
                vm.summaryProperty().addListener((o, a, b) -> show(getItem(), isEmpty()));
            }

            @Override
            protected void updateItem(ImagesViewModel.Filter f, boolean empty) {
                super.updateItem(f, empty);
                show(f, empty);
            }

            private void show(ImagesViewModel.Filter f, boolean empty) {
                setText(empty || f == null ? null : f.label() + " (" + vm.count(f) + ")");
            }
        };
        filter.setCellFactory(l -> cell.get());
        filter.setButtonCell(cell.get());
        Label summary = new Label();
        summary.setId("strip-summary");
        summary.textProperty().bind(vm.summaryProperty());
        summary.setWrapText(true);
        summary.getStyleClass().add("caption-small");
        VBox box = new VBox(4, filter, strip, summary);
        box.setPadding(new Insets(2));
        javafx.scene.layout.VBox.setVgrow(strip, javafx.scene.layout.Priority.ALWAYS);
        box.setMinWidth(0);
        return box;
    }

    private Image thumb(Path p) {
        return thumbs.computeIfAbsent(p, x -> new Image(x.toUri().toString(), THUMB, THUMB, true, true, true));
    }

    private final class Cell extends ListCell<ImagesViewModel.Item> {
        private final ImageView view = new ImageView();
        private final Label name = new Label();
        private final Label state = new Label();
        private final HBox box;
        private final Label sure = new Label();
        private final ChangeListener<AnnotationState> stateListener = (o, a, b) -> showState(b);
        private final ChangeListener<Number> sureListener = (o, a, b) -> showConfidence(b.doubleValue());
        private final ChangeListener<String> problemListener = (o, a, b) -> restate();
        private ImagesViewModel.Item watched;

        Cell() {
            view.setFitWidth(THUMB);
            view.setFitHeight(THUMB);
            view.setPreserveRatio(true);
            state.getStyleClass().add("caption-small");
            sure.getStyleClass().add("caption-small");
            box = new HBox(6, view, new VBox(2, name, state, sure));
            box.setPadding(new Insets(2));
        }

        @Override
        protected void updateItem(ImagesViewModel.Item item, boolean empty) {
            super.updateItem(item, empty);
            if (watched != null) {
                watched.stateProperty().removeListener(stateListener); // a reused cell follows one item only
                watched.confidenceProperty().removeListener(sureListener);
                watched.problemProperty().removeListener(problemListener);
                watched = null;
            }
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            view.setImage(thumb(item.path()));
            name.setText(item.path().getFileName().toString());
            watched = item;
            showState(item.stateProperty().get());
            item.problemProperty().addListener(problemListener);
            item.stateProperty().addListener(stateListener);
            showConfidence(item.confidenceProperty().get());
            item.confidenceProperty().addListener(sureListener);
            setGraphic(box);
        }

        private void restate() {
            showState(watched == null ? AnnotationState.NONE : watched.stateProperty().get());
        }

        private void showConfidence(double c) {
            sure.setText(Double.isNaN(c) ? "" : String.format("model %.0f %% sure", 100 * c));
        }

        private void showState(AnnotationState s) {
            String problem = watched == null ? null : watched.problemProperty().get();
            if (problem != null) { // an unreadable file is marked, with its reason
                state.setText("Cannot be read");
                state.setGraphic(new FontIcon("mdi2a-alert-circle-outline"));
                state.getStyleClass().add("unreadable");
                setTooltip(new javafx.scene.control.Tooltip(problem));
                return;
            }
            state.getStyleClass().remove("unreadable");
            setTooltip(null);
            state.setText(s.label());
            state.setGraphic(new FontIcon(switch (s) {
                case NONE -> "mdi2c-circle-outline";
                case EDITED -> "mdi2p-pencil";
                case REVIEWED -> "mdi2c-check-circle-outline";
                case EXPORTED -> "mdi2c-check-circle";
            }));
        }
    }
}

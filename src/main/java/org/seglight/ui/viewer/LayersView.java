package org.seglight.ui.viewer;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.seglight.inference.SegmentationResult;
import org.seglight.ui.common.Controls;
import org.seglight.ui.prompts.ClassRow;
import org.seglight.ui.prompts.PromptsViewModel;

/**
 * Layer controls: mask on/off and opacity with a legend that toggles classes, which score map of which class
 * with its opacity and colour bar, and S0, S and the probability of the chosen class side by side.
 */
public final class LayersView extends VBox {

    private final OverlayOptions overlay;
    private final PromptsViewModel prompts;
    private final ReadOnlyObjectProperty<SegmentationResult> result;
    private final VBox legend = new VBox(2);
    private final HBox sideBySide = new HBox(6);
    private final ObservableList<String> classNames = FXCollections.observableArrayList();

    /**
     * @param result the open image's segmentation, or null
     * @param lookRevision changes whenever the class table's names, colours or visibility do
     * @param mapLayer the map the viewer shows, for the colour bar
     */
    public LayersView(OverlayOptions overlay, PromptsViewModel prompts,
            ReadOnlyObjectProperty<SegmentationResult> result, ReadOnlyLongProperty lookRevision,
            ReadOnlyObjectProperty<MapLayer> mapLayer) {
        this.overlay = overlay;
        this.prompts = prompts;
        this.result = result;
        setSpacing(8);
        setPadding(new Insets(8));

        Slider imageOpacity = slider(overlay.imageOpacityProperty());
        CheckBox showMask = new CheckBox("Mask");
        showMask.setId("show-mask");
        showMask.selectedProperty().bindBidirectional(overlay.showMaskProperty());
        Slider maskOpacity = slider(overlay.maskOpacityProperty());
        maskOpacity.setId("mask-opacity");
        CheckBox outlines = new CheckBox("Outlines only (O)");
        outlines.setId("mask-outlines");
        outlines.setTooltip(new javafx.scene.control.Tooltip(
                "Draw each class's border in its colour instead of filling it, so the image shows inside"));
        outlines.selectedProperty().bindBidirectional(overlay.outlinesProperty());

        ComboBox<MapKind> kind = new ComboBox<>(FXCollections.observableArrayList(MapKind.values()));
        kind.setId("map-kind");
        kind.valueProperty().bindBidirectional(overlay.mapKindProperty());
        ComboBox<String> mapClass = new ComboBox<>(classNames);
        mapClass.setId("map-class");
        mapClass.getSelectionModel().selectedIndexProperty().addListener((x, a, b) -> {
            if (b.intValue() >= 0) {
                overlay.mapClassProperty().set(b.intValue());
            }
        });
        overlay.mapClassProperty().addListener((x, a, b) -> mapClass.getSelectionModel().select(b.intValue()));
        Slider mapOpacity = slider(overlay.mapOpacityProperty());
        ColorBar bar = new ColorBar();
        mapLayer.addListener((x, a, b) -> bar.show(b));
        Label guidance = new Label(overlay.mapKindProperty().get().guidance());
        guidance.setId("map-guidance");
        guidance.setWrapText(true);
        guidance.getStyleClass().add("hint");
        overlay.mapKindProperty().addListener((x, a, b) -> guidance.setText(b.guidance()));

        GridPane grid = new GridPane(8, 6);
        grid.addRow(0, new Label("Image"), imageOpacity);
        grid.addRow(1, showMask, maskOpacity);
        grid.add(outlines, 1, 2);
        grid.addRow(3, new Label("Map"), kind);
        grid.addRow(4, new Label("Class"), mapClass);
        grid.addRow(5, new Label("Opacity"), mapOpacity);

        Label legendTitle = new Label("Legend (click to show or hide a class)");
        Label sideTitle = new Label("S0 · S · P side by side");
        sideTitle.getStyleClass().add("section-title");
        legendTitle.getStyleClass().add("section-title");
        getChildren().addAll(grid, bar, guidance, new Separator(), legendTitle, legend, new Separator(), sideTitle,
                sideBySide);

        Runnable refresh = () -> {
            List<String> names = prompts.names();
            int keep = overlay.mapClassProperty().get();
            classNames.setAll(names);
            mapClass.getSelectionModel().select(Math.min(keep, names.size() - 1));
            refreshSideBySide();
        };
        lookRevision.addListener((x, a, b) -> refresh.run());
        // The legend's rows are bound to the classes' properties: rebuild only when classes come or go.
        prompts.rows().addListener((javafx.collections.ListChangeListener<ClassRow>) c -> {
            while (c.next()) {
                if (c.wasAdded() || c.wasRemoved() || c.wasPermutated()) {
                    rebuildLegend();
                    return;
                }
            }
        });
        rebuildLegend();
        result.addListener((x, a, b) -> refreshSideBySide());
        overlay.mapClassProperty().addListener((x, a, b) -> refreshSideBySide());
        refresh.run();
    }

    private static Slider slider(javafx.beans.property.DoubleProperty p) {
        Slider s = new Slider(0, 1, p.get());
        s.valueProperty().bindBidirectional(p);
        s.setPrefWidth(150);
        return s;
    }

    private void rebuildLegend() {
        legend.getChildren().clear();
        var rows = prompts.rows();
        for (ClassRow row : rows) {
            javafx.scene.control.Hyperlink alone = new javafx.scene.control.Hyperlink("only");
            alone.getStyleClass().add("caption-small");
            alone.setTooltip(new javafx.scene.control.Tooltip("Show this class alone; again: show every class"));
            alone.setOnAction(e -> prompts.showAlone(prompts.rows().indexOf(row)));
            CheckBox c = new CheckBox();
            c.textProperty().bind(row.nameProperty());
            c.selectedProperty().bindBidirectional(row.visibleProperty());
            javafx.scene.shape.Rectangle swatch = new javafx.scene.shape.Rectangle(14, 14);
            swatch.fillProperty().bind(Bindings.createObjectBinding(() -> Controls.color(row.rgbProperty().get()),
                    row.rgbProperty()));
            HBox line = new HBox(6, swatch, c, alone);
            line.getStyleClass().add("legend-row");
            legend.getChildren().add(line);
        }
    }

    private void refreshSideBySide() {
        sideBySide.getChildren().clear();
        SegmentationResult r = result.get();
        if (r == null) {
            sideBySide.getChildren().add(new Label("Segment an image first"));
            return;
        }
        int row = overlay.mapClassProperty().get();
        List<String> names = prompts.names();
        String name = row >= 0 && row < names.size() ? names.get(row) : "?";
        for (MapKind k : List.of(MapKind.S0, MapKind.S, MapKind.PROBABILITY)) {
            MapLayer m = MapLayer.of(k, row, name, r, prompts.mapping(), null);
            VBox cell = new VBox(2);
            if (m == null) {
                cell.getChildren().add(new Label(k == MapKind.PROBABILITY ? "not scored" : "no " + k.name()));
            } else {
                WritableImage img = new WritableImage(m.width(), m.height());
                img.getPixelWriter().setPixels(0, 0, m.width(), m.height(), PixelFormat.getIntArgbInstance(),
                        m.argb(), 0, m.width());
                ImageView view = new ImageView(img);
                view.setFitWidth(96);
                view.setPreserveRatio(true);
                view.setSmooth(true);
                Label l = new Label(String.format("%s %.2f…%.2f", k.name(), m.min(), m.max()));
                l.getStyleClass().add("caption-small");
                cell.getChildren().addAll(view, l);
            }
            sideBySide.getChildren().add(cell);
        }
    }
}

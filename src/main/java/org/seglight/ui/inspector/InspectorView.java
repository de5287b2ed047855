package org.seglight.ui.inspector;

import java.util.List;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The attention inspector's controls: unit, direction and head; the class list (a click shows that token's
 * map over the image); and the chosen pixel's attention over the classes as bars with their exact values.
 */
public final class InspectorView extends VBox {

    private final BarChart<String, Number> chart;
    /** Where the range of the attention map goes (the owner puts the viewer's colour bar there). */
    private final VBox rangeSlot = new VBox();

    /** Puts the colour bar of the map on the image under the guidance (the viewer owns maps and their bars). */
    public void setRangeBar(javafx.scene.Node bar) {
        rangeSlot.getChildren().setAll(bar);
    }
    private final ListView<String> values = new ListView<>();

    /**
     * @param classNames the class table's names, by row
     * @param lookRevision changes whenever the class table's names or colours do
     * @param showAttentionMap called when a class is clicked: its attention map goes over the image
     */
    public InspectorView(InspectorViewModel vm, Supplier<List<String>> classNames, ReadOnlyLongProperty lookRevision,
            Runnable showAttentionMap) {
        setSpacing(6);
        setPadding(new Insets(8));

        Spinner<Integer> unit = new Spinner<>(1, 1, 1);
        unit.setId("inspector-unit");
        vm.unitsProperty().addListener((o, a, b) -> unit.setValueFactory(
                new SpinnerValueFactory.IntegerSpinnerValueFactory(1, Math.max(1, b.intValue()), 1)));
        unit.valueProperty().addListener((o, a, b) -> vm.unitProperty().set(b));
        ComboBox<InspectorViewModel.Direction> direction = new ComboBox<>(
                FXCollections.observableArrayList(InspectorViewModel.Direction.values()));
        direction.setId("inspector-direction");
        direction.valueProperty().bindBidirectional(vm.directionProperty());
        ComboBox<String> head = new ComboBox<>();
        head.setId("inspector-head");
        vm.headsProperty().addListener((o, a, b) -> {
            List<String> items = new java.util.ArrayList<>(List.of("mean of heads"));
            for (int h = 1; h <= b.intValue(); h++) {
                items.add("head " + h);
            }
            head.getItems().setAll(items);
            head.getSelectionModel().select(0);
        });
        head.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            if (b.intValue() >= 0) {
                vm.headProperty().set(b.intValue() - 1);
            }
        });

        ListView<String> classes = new ListView<>();
        classes.setId("inspector-classes");
        classes.setPrefHeight(150);
        Runnable names = () -> {
            classes.getItems().setAll(classNames.get());
            classes.getSelectionModel().select(vm.selectedRowProperty().get());
        };
        lookRevision.addListener((o, a, b) -> names.run());
        classes.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            if (b.intValue() >= 0) {
                vm.selectedRowProperty().set(b.intValue());
            }
        });
        vm.selectedRowProperty().addListener((o, a, b) -> {
            if (classes.getSelectionModel().getSelectedIndex() != b.intValue()) {
                classes.getSelectionModel().select(b.intValue());
                classes.scrollTo(Math.max(0, b.intValue() - 2));
            }
        });
        classes.setOnMouseClicked(e -> showAttentionMap.run());
        // Moving through the list with the keys shows each class's map too: the highlighted class is the shown one.
        classes.setOnKeyReleased(e -> {
            if (e.getCode().isNavigationKey()) {
                showAttentionMap.run();
            }
        });

        CategoryAxis x = new CategoryAxis();
        NumberAxis y = new NumberAxis();
        y.setLabel("attention");
        chart = new BarChart<>(x, y);
        chart.setId("inspector-chart");
        chart.setLegendVisible(false);
        chart.setAnimated(false);
        chart.setPrefHeight(240);
        values.setId("inspector-values");
        values.getStyleClass().add("values");
        values.setPrefHeight(150);
        VBox.setVgrow(chart, Priority.ALWAYS);

        Label caption = new Label();
        caption.setId("inspector-caption");
        caption.setWrapText(true);
        caption.textProperty().bind(vm.captionProperty());
        vm.barsProperty().addListener((o, a, b) -> showBars(b));

        GridPane grid = new GridPane(8, 6);
        grid.addRow(0, new Label("Fusion unit"), unit);
        grid.addRow(1, new Label("Direction"), direction);
        grid.addRow(2, new Label("Head"), head);
        Label help = new Label("Click a class for its attention map over the image; click the image (Inspect "
                + "tool) for that pixel's attention over the classes. Values are the network's, on its 32-pixel "
                + "feature grid.");
        help.setWrapText(true);
        help.getStyleClass().add("hint");
        Label reading = new Label(vm.directionProperty().get().guidance());
        reading.setId("inspector-guidance");
        reading.setWrapText(true);
        reading.getStyleClass().add("hint");
        vm.directionProperty().addListener((o, a, b) -> reading.setText(b.guidance()));
        getChildren().addAll(grid, reading, rangeSlot, new Label("Classes (tokens)"), classes, caption, chart, values,
                help);
        names.run();
    }

    private void showBars(List<InspectorViewModel.Bar> bars) {
        XYChart.Series<String, Number> s = new XYChart.Series<>();
        List<String> lines = new java.util.ArrayList<>();
        for (InspectorViewModel.Bar b : bars) {
            s.getData().add(new XYChart.Data<>(b.name(), b.value()));
            lines.add(String.format("%-14s %.4f", b.name(), b.value()));
        }
        chart.getData().setAll(List.of(s));
        values.getItems().setAll(lines);
    }

    /** The chart's series (for tests and screenshots). */
    public BarChart<String, Number> chart() {
        return chart;
    }
}

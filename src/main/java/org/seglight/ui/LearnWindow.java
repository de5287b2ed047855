package org.seglight.ui;

import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.seglight.train.Learner;
import org.seglight.ui.common.Theme;

/**
 * The window of Model > Learn from corrections: what it learns from and where it starts, how long, a live chart
 * of the loss and of the held-back images' mIoU, iterations per second, time left, and Cancel. It does not block
 * the main window: the user keeps correcting while it learns.
 */
final class LearnWindow {

    private final Stage stage = new Stage();
    private final LearnViewModel vm;
    private final Label source = new Label();
    private final Label start = new Label();
    private final Label speed = new Label();
    private final XYChart.Series<Number, Number> loss = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> miou = new XYChart.Series<>();
    private int drawn;

    LearnWindow(Window owner, LearnViewModel vm) {
        this.vm = vm;
        stage.initOwner(owner);
        stage.setTitle("Learn from corrections");

        ComboBox<LearnViewModel.StartFrom> from = new ComboBox<>();
        from.getItems().setAll(LearnViewModel.StartFrom.values());
        from.valueProperty().bindBidirectional(vm.startFromProperty());
        from.setId("learn-start-from");
        from.valueProperty().addListener((o, a, b) -> refresh());
        Spinner<Double> minutes = new Spinner<>(0.5, 60, vm.minutesProperty().get(), 0.5);
        minutes.setEditable(true);
        minutes.setPrefWidth(90);
        minutes.valueProperty().addListener((o, a, b) -> vm.minutesProperty().set(b));
        CheckBox whole = new CheckBox("Whole network (slower: the encoder learns too, at a tenth of the rate)");
        whole.selectedProperty().bindBidirectional(vm.wholeProperty());
        start.setWrapText(true);
        start.getStyleClass().add("caption-small");
        source.setWrapText(true);

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        Label fromLabel = new Label("Start from");
        Label minutesLabel = new Label("Minutes");
        fromLabel.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        minutesLabel.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        form.addRow(0, fromLabel, from);
        form.add(start, 1, 1);
        form.addRow(2, minutesLabel, minutes);
        form.add(whole, 1, 3);

        NumberAxis x = new NumberAxis();
        x.setLabel("iteration");
        x.setForceZeroInRange(true);
        NumberAxis y = new NumberAxis();
        y.setLabel("loss · held-back mIoU (0-1)");
        LineChart<Number, Number> chart = new LineChart<>(x, y);
        chart.setId("learn-chart");
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setPrefHeight(280);
        loss.setName("loss (smoothed)");
        miou.setName("mIoU on held-back corrected images");
        chart.getData().add(loss);
        chart.getData().add(miou);
        vm.points().addListener((ListChangeListener<Learner.Point>) c -> redraw());

        ProgressBar bar = new ProgressBar();
        bar.progressProperty().bind(vm.fractionProperty());
        bar.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(bar, Priority.ALWAYS);
        Label message = new Label();
        message.setId("learn-message");
        message.textProperty().bind(vm.messageProperty());
        message.setWrapText(true);

        Button learn = new Button("Learn");
        learn.setId("learn-start");
        learn.setDefaultButton(true);
        learn.disableProperty().bind(vm.runningProperty());
        learn.setOnAction(e -> {
            vm.start();
            refresh();
        });
        Button cancel = new Button("Cancel (keep the best so far)");
        cancel.setId("learn-cancel");
        cancel.disableProperty().bind(vm.runningProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        Button close = new Button("Close");
        close.setOnAction(e -> stage.hide());
        HBox buttons = new HBox(8, learn, cancel, close);

        Label words = new Label("Learning reads the saved masks of the images you corrected (unedited images are not"
                + " used) and never changes them. Classes the model already has keep what they learned; a new class"
                + " starts from its words and becomes a real class of the model. The learned model is saved in this"
                + " folder's .seglight/models and loaded; learning again starts from it.");
        words.setWrapText(true);
        words.getStyleClass().add("caption-small");

        for (Label l : new Label[] {source, start, message, words}) {
            l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // wrapped text is never cut short
        }
        message.setPrefHeight(40);
        message.setAlignment(javafx.geometry.Pos.TOP_LEFT);
        start.setPrefHeight(34);
        start.setAlignment(javafx.geometry.Pos.TOP_LEFT);
        VBox root = new VBox(10, source, form, chart, speed, new HBox(8, bar), message, buttons, words);
        root.setPadding(new Insets(12));
        root.setPrefWidth(640);
        Scene scene = new Scene(root);
        Theme.style(scene);
        stage.setScene(scene);
    }

    void show() {
        refresh();
        stage.show();
        stage.toFront();
    }

    private void refresh() {
        int n = vm.corrected().size();
        int held = LearnViewModel.heldOutCount(Math.min(n, LearnViewModel.MAX_IMAGES));
        source.setText(n == 0 ? "No image of this folder is corrected yet: correct a few masks first."
                : n + " corrected image" + (n == 1 ? "" : "s") + " to learn from" + (held > 0 ? " (" + held
                        + " held back to score the model as it learns)" : " (from 8 on, some are held back to score"
                        + " the model)") + (n > LearnViewModel.MAX_IMAGES ? "; the first "
                        + LearnViewModel.MAX_IMAGES + " are used" : "") + ".");
        start.setText(vm.describeStart());
    }

    private void redraw() {
        var pts = vm.points();
        if (pts.size() < drawn) { // cleared for a new run, or thinned out to keep the chart light
            loss.getData().clear();
            miou.getData().clear();
            drawn = 0;
        }
        for (int i = drawn; i < pts.size(); i++) {
            Learner.Point p = pts.get(i);
            loss.getData().add(new XYChart.Data<>(p.iteration(), p.loss()));
            if (!Double.isNaN(p.heldOutMiou())) {
                miou.getData().add(new XYChart.Data<>(p.iteration(), p.heldOutMiou()));
            }
        }
        drawn = pts.size();
        if (!pts.isEmpty()) {
            Learner.Point last = pts.getLast();
            speed.setText(String.format("iteration %d · %.1f iterations/s · %s left · loss %.3f", last.iteration(),
                    last.iterationsPerSecond(), eta(last.etaSeconds()), last.loss()));
        } else {
            speed.setText("");
        }
    }

    private static String eta(double s) {
        if (Double.isNaN(s)) {
            return "?";
        }
        long t = Math.round(s);
        return t >= 60 ? String.format("%d min %02d s", t / 60, t % 60) : t + " s";
    }
}

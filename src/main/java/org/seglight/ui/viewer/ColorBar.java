package org.seglight.ui.viewer;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import org.seglight.render.Colormap;
import org.seglight.ui.common.Controls;

/** The colour bar of a heat map: the ramp with its low and high values and what the map is. */
public final class ColorBar extends VBox {

    private final Canvas ramp = new Canvas(220, 12);
    private final Label low = new Label();
    private final Label high = new Label();
    private final Label caption = new Label();

    public ColorBar() {
        getStyleClass().add("color-bar");
        caption.setId("map-caption");
        caption.setWrapText(true);
        BorderPane labels = new BorderPane();
        labels.setLeft(low);
        labels.setRight(high);
        labels.setMaxWidth(ramp.getWidth());
        GraphicsContext g = ramp.getGraphicsContext2D();
        for (int x = 0; x < ramp.getWidth(); x++) {
            g.setFill(Controls.color(Colormap.rgb(x / (ramp.getWidth() - 1))));
            g.fillRect(x, 0, 1, ramp.getHeight());
        }
        getChildren().addAll(caption, ramp, labels);
        show(null);
    }

    /** Shows the range of a map, or hides the bar when there is none. */
    public void show(MapLayer layer) {
        setVisible(layer != null);
        setManaged(layer != null);
        if (layer != null) {
            low.setText(format(layer.min()));
            high.setText(format(layer.max()));
            caption.setText(layer.caption());
        }
    }

    private static String format(float v) {
        return Math.abs(v) >= 100 || v == 0 ? String.format("%.0f", v) : String.format("%.3f", v);
    }
}

package org.seglight.ui.common;

import javafx.scene.control.Button;
import javafx.scene.control.Tooltip;
import javafx.scene.paint.Color;
import org.kordamp.ikonli.javafx.FontIcon;

/** Small pieces every view builds the same way: an icon button with a tooltip, a class colour as a paint. */
public final class Controls {

    private Controls() {}

    /** A button showing an Ikonli icon, with a tooltip, that runs {@code action}. */
    public static Button button(String icon, String tip, Runnable action) {
        Button b = new Button(null, new FontIcon(icon));
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    /** The paint of a 0xRRGGBB colour. */
    public static Color color(int rgb) {
        return Color.rgb(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff);
    }
}

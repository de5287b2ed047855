package org.seglight.ui;

import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;

/** The keyboard shortcuts, as a panel the user can keep open. */
public final class HelpView extends GridPane {

    static final String[][] SHORTCUTS = {
        {"Ctrl+O / Ctrl+Shift+O", "Open images / a folder"},
        {"Page Down, → / Page Up, ←", "Next / previous image"},
        {"I B E P W F V", "Inspect, Brush, Eraser, Polygon, Smart select, Relabel region, Set region to void"},
        {"[ / ]", "Smaller / larger brush; with the smart select, lower / higher tolerance (redoes the last select)"},
        {"W, click", "Smart select: the region like the clicked pixel (colour, edges, the model's scores) takes the class"},
        {"Drag a corner", "After closing a polygon: move a corner, drag an edge for a new one, Shift+click removes one"},
        {"1 … 9, 0 / Shift+1 … 0", "Paint with the class whose Key (first column of the table) it is: rows 1-10 / 11-20"},
        {"Enter / Esc", "Close / cancel the polygon (or end editing it); in a text field: keep / undo the typing and leave it"},
        {"Ctrl+F", "Find a class to paint by name: ↓ / ↑ step through the matches, Enter takes one"},
        {"Ctrl+Z / Ctrl+Shift+Z, Ctrl+Y", "Undo / redo"},
        {"Ctrl+R", "Apply the latest prediction over your corrections"},
        {"Ctrl+Enter", "Mark the mask as reviewed (saved as it is); again to take the mark back"},
        {"M / O", "Show or hide the mask / draw it as outlines"},
        {"Ctrl+0 / Ctrl+1 / + / −", "Fit / 1:1 / zoom in / zoom out; the wheel zooms, right-drag pans"},
        {"Ctrl+E / Ctrl+Shift+E", "Export this image / the whole folder"},
        {"Ctrl+L", "Learn the class table from the corrected images"},
        {"F1", "This help"},
    };

    public HelpView() {
        setHgap(16);
        setVgap(6);
        setPadding(new Insets(10));
        setId("help");
        for (int i = 0; i < SHORTCUTS.length; i++) {
            Label key = new Label(SHORTCUTS[i][0]);
            key.getStyleClass().add("shortcut-key");
            key.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // the keys whole; the descriptions wrap
            Label what = new Label(SHORTCUTS[i][1]);
            what.setWrapText(true);
            addRow(i, key, what);
        }
    }
}

package org.seglight.ui.corrections;

/** What a click or drag on the image does. */
public enum Tool {
    INSPECT("Inspect / pan", "I"),
    BRUSH("Brush", "B"),
    ERASER("Eraser (paint void)", "E"),
    POLYGON("Polygon", "P"),
    /** Grows a region from a click by the image's colours, its edges and the model's scores. */
    SMART_SELECT("Smart select", "W"),
    FILL("Relabel region", "F"),
    VOID_FILL("Set region to void", "V");

    private final String label;
    private final String key;

    Tool(String label, String key) {
        this.label = label;
        this.key = key;
    }

    /** The name in menus and tooltips, e.g. "Brush". */
    public String label() {
        return label;
    }

    /** The single-letter shortcut. */
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return label + " (" + key + ")";
    }
}

package org.seglight.ui.inspector;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.seglight.inference.AttentionMaps;
import org.seglight.inference.SlotMapping;

/**
 * The attention inspector: which fusion unit, which direction of the two-way bridge and which head, and what
 * the network's attention says for a chosen class (a map over the image) or a chosen pixel (a value per
 * class). All numbers come straight from {@link AttentionMaps}, at the 32-pixel feature grid.
 */
public final class InspectorViewModel {

    /** The two directions of the bridge (docs/NETWORK.md §10). */
    public enum Direction {
        TOKEN_TO_PIXELS("Conv2Former: token → pixels", "Each class's text token spreads one unit of attention"
                + " over the pixels: its map is bright where the words looked in the image, and a pixel's bars say"
                + " how much of each token's attention fell on it."),
        PIXEL_TO_TOKENS("Former2Conv: pixel → tokens", "Each pixel spreads one unit of attention over the class"
                + " tokens: a pixel's bars sum to 1 and show which words it drew on; a class's map is bright where"
                + " pixels turned to that word.");

        private final String label;
        private final String guidance;

        Direction(String label, String guidance) {
            this.label = label;
            this.guidance = guidance;
        }

        /** One sentence on how to read the map and the bars in this direction. */
        public String guidance() {
            return guidance;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** One bar of the pixel chart: a class and the attention value between it and the chosen pixel. */
    public record Bar(String name, int row, float value) {}

    /** A grid map over the image: values (gridWidth × gridHeight), 32 image pixels per cell. */
    public record GridMap(int gridWidth, int gridHeight, float[] values) {}

    // Properties
    private final IntegerProperty unit = new SimpleIntegerProperty(1);
    private final ObjectProperty<Direction> direction = new SimpleObjectProperty<>(Direction.TOKEN_TO_PIXELS);
    /** -1 is the mean over heads. */
    private final IntegerProperty head = new SimpleIntegerProperty(-1);
    private final IntegerProperty selectedRow = new SimpleIntegerProperty(0);
    private final ReadOnlyObjectWrapper<int[]> selectedPixel = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyIntegerWrapper units = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyIntegerWrapper heads = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyObjectWrapper<List<Bar>> bars = new ReadOnlyObjectWrapper<>(List.of());
    private final ReadOnlyObjectWrapper<GridMap> heatMap = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper caption = new ReadOnlyStringWrapper("Segment an image to inspect attention");

    private AttentionMaps attention;
    private SlotMapping mapping = new SlotMapping(new int[0]);
    private List<String> rowNames = List.of();

    public InspectorViewModel() {
        unit.addListener((o, a, b) -> refresh());
        direction.addListener((o, a, b) -> refresh());
        head.addListener((o, a, b) -> refresh());
        selectedRow.addListener((o, a, b) -> refresh());
    }

    /** New attention (a new segmentation) and the current table. */
    public void setAttention(AttentionMaps attention, SlotMapping mapping, List<String> rowNames) {
        this.attention = attention;
        this.mapping = mapping;
        this.rowNames = rowNames;
        units.set(attention == null ? 0 : attention.units());
        heads.set(attention == null ? 0 : attention.heads());
        if (unit.get() > units.get() || unit.get() < 1) {
            unit.set(1);
        }
        if (head.get() >= heads.get()) {
            head.set(-1);
        }
        refresh();
    }

    // Commands

    /** Forgets the charted pixel (another image is open: its coordinates would point elsewhere). */
    public void clearPixel() {
        selectedPixel.set(null);
        refresh();
    }

    /** Chooses the pixel (image coordinates) whose attention the chart shows. */
    public void selectPixel(int x, int y) {
        selectedPixel.set(new int[] {x, y});
        refresh();
    }

    private void refresh() {
        if (attention == null || attention.units() == 0) {
            bars.set(List.of());
            heatMap.set(null);
            caption.set(attention == null ? "Segment an image to inspect attention"
                    : "This model has no fusion units, so there is no attention to inspect");
            return;
        }
        int u = Math.max(0, Math.min(attention.units(), unit.get()) - 1);
        int h = head.get() >= attention.heads() ? -1 : head.get();
        int row = selectedRow.get();
        int slot = mapping.slotOf(row);
        String who = h < 0 ? "mean of " + attention.heads() + " heads" : "head " + (h + 1);
        if (slot >= 0) {
            float[] map = direction.get() == Direction.TOKEN_TO_PIXELS ? attention.tokenHeatMap(u, h, slot)
                    : attention.pixelsToToken(u, h, slot);
            heatMap.set(new GridMap(attention.gridWidth(), attention.gridHeight(), map));
        } else {
            heatMap.set(null);
        }
        int[] px = selectedPixel.get();
        List<Bar> out = new ArrayList<>();
        int hidden = 0;
        float hiddenShare = 0;
        if (px != null) {
            int n = cell(px[0], px[1]);
            float[] values = direction.get() == Direction.PIXEL_TO_TOKENS ? attention.pixelDistribution(u, h, n)
                    : attention.tokensAtPixel(u, h, n);
            for (int s = 0; s < attention.classes(); s++) {
                int r = s < mapping.slotToRow().length ? mapping.slotToRow()[s] : -1;
                if (r >= 0 && r < rowNames.size()) {
                    out.add(new Bar(rowNames.get(r), r, values[s]));
                } else { // a model token whose class was removed from the table: not a class to chart
                    hidden++;
                    hiddenShare += values[s];
                }
            }
        }
        bars.set(List.copyOf(out));
        String rowName = row >= 0 && row < rowNames.size() ? rowNames.get(row) : "?";
        caption.set("Unit " + (u + 1) + ", " + direction.get() + ", " + who
                + (slot < 0 ? "; '" + rowName + "' is painted by hand, the model has no token for it"
                        : "; map: '" + rowName + "'")
                + (px == null ? "; click the image to chart a pixel" : "; pixel (" + px[0] + ", " + px[1] + ")")
                + (hidden == 0 ? "" : String.format("; %d model token%s whose class was removed from the table"
                        + " left out (together %.4f)", hidden, hidden == 1 ? "" : "s", hiddenShare)));
    }

    /** The feature-grid cell of an image pixel. */
    public int cell(int x, int y) {
        int gx = Math.max(0, Math.min(attention.gridWidth() - 1, x / 32));
        int gy = Math.max(0, Math.min(attention.gridHeight() - 1, y / 32));
        return gy * attention.gridWidth() + gx;
    }

    public IntegerProperty unitProperty() {
        return unit;
    }

    public ObjectProperty<Direction> directionProperty() {
        return direction;
    }

    public IntegerProperty headProperty() {
        return head;
    }

    public IntegerProperty selectedRowProperty() {
        return selectedRow;
    }

    public ReadOnlyObjectProperty<int[]> selectedPixelProperty() {
        return selectedPixel.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty unitsProperty() {
        return units.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty headsProperty() {
        return heads.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<Bar>> barsProperty() {
        return bars.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<GridMap> heatMapProperty() {
        return heatMap.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty captionProperty() {
        return caption.getReadOnlyProperty();
    }
}

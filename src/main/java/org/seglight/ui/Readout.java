package org.seglight.ui;

import java.util.Arrays;
import java.util.List;
import org.seglight.inference.ScoreMaps;
import org.seglight.mask.LabelMask;

/** The status bar's read-out of one pixel, as a pure function of what is on screen. */
public final class Readout {

    private Readout() {}

    /**
     * "(x, y)  label  | top-3 classes with their probabilities".
     *
     * @param label the mask's label at (x, y), or -1 without a mask
     * @param names the class table's names, by label
     * @param p the model's probabilities (null before a segmentation), slots mapped to rows by {@code slotToRow}
     */
    public static String describe(int x, int y, int width, int height, int label, List<String> names, ScoreMaps p,
            int[] slotToRow) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return "";
        }
        StringBuilder sb = new StringBuilder("(" + x + ", " + y + ")");
        if (label >= 0) {
            sb.append("  ").append(label < names.size() ? names.get(label)
                    : label == LabelMask.VOID ? "void" : "label " + label);
        }
        if (p != null) {
            int px = Math.min(p.width() - 1, x / p.scale());
            int py = Math.min(p.height() - 1, y / p.scale());
            Integer[] order = new Integer[p.classes()];
            Arrays.setAll(order, k -> k);
            Arrays.sort(order, (a, b) -> Float.compare(p.at(b, px, py), p.at(a, px, py)));
            sb.append("  |");
            for (int i = 0; i < Math.min(3, order.length); i++) {
                int slot = order[i];
                int row = slot < slotToRow.length ? slotToRow[slot] : -1;
                String name = row >= 0 && row < names.size() ? names.get(row) : "(removed)";
                sb.append(String.format(" %s %.2f", name, p.at(slot, px, py)));
            }
        }
        return sb.toString();
    }
}

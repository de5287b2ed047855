package org.seglight.inference;

import org.seglight.mask.LabelMask;

/**
 * Maps the model's class slots to the rows of the class table. The network always scores its K trained slots
 * in their order; the table may reorder them, drop some (their pixels go to the best remaining class) and
 * add classes the model does not know (those are painted by hand). Masks in the app are in row order.
 *
 * @param slotToRow for each model slot, its table row, or -1 when the row was removed
 */
public record SlotMapping(int[] slotToRow) {

    /** Rows in slot order, all present. */
    public static SlotMapping identity(int k) {
        int[] m = new int[k];
        for (int i = 0; i < k; i++) {
            m[i] = i;
        }
        return new SlotMapping(m);
    }

    public boolean isIdentity() {
        for (int i = 0; i < slotToRow.length; i++) {
            if (slotToRow[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** The model's mask in row order: a relabelling, or, when slots were removed, a new argmax over the rest. */
    public LabelMask toRows(LabelMask slotMask, ScoreMaps probabilities) {
        if (isIdentity()) {
            return slotMask;
        }
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = v < slotToRow.length ? slotToRow[v] : v;
        }
        byte[] labels = slotMask.toBytes();
        int w = slotMask.width();
        for (int i = 0; i < labels.length; i++) {
            int slot = labels[i] & 0xff;
            int row = lut[slot];
            if (row < 0) {
                row = bestRemaining(probabilities, i % w, i / w);
            }
            labels[i] = (byte) row;
        }
        return LabelMask.adopt(w, slotMask.height(), labels); // a fresh array: not copied again
    }

    private int bestRemaining(ScoreMaps p, int x, int y) {
        int px = Math.min(p.width() - 1, x / p.scale());
        int py = Math.min(p.height() - 1, y / p.scale());
        int best = LabelMask.VOID;
        float bestP = -1;
        for (int s = 0; s < slotToRow.length; s++) {
            if (slotToRow[s] >= 0 && p.at(s, px, py) > bestP) {
                bestP = p.at(s, px, py);
                best = slotToRow[s];
            }
        }
        return best;
    }

    /** The model slot of a table row, or -1 for a row the model does not score. */
    public int slotOf(int row) {
        for (int s = 0; s < slotToRow.length; s++) {
            if (slotToRow[s] == row) {
                return s;
            }
        }
        return -1;
    }
}

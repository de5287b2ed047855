package org.seglight.ui;

import java.util.List;
import org.seglight.annotation.ClassMatch;
import org.seglight.mask.LabelMask;
import org.seglight.ui.prompts.ClassRow;
import org.seglight.ui.prompts.PromptsViewModel;

/**
 * How a mask's labels follow a change of the class table. Labels are row numbers, so when rows are added,
 * removed, moved or replaced every label is mapped to the row of its class in the new table, or to void when
 * the class is gone.
 */
final class TableRelabel {

    private TableRelabel() {}

    /** The remap of a table change: its own, or, when the table was replaced as a whole, by class name. */
    static int[] remap(PromptsViewModel.TableChange c) {
        if (c.remap() != null) {
            return c.remap();
        }
        return ClassMatch.of(names(c.before()), names(c.after())).remap();
    }

    /** The lookup table that takes a label of rows {@code before} to the same row in {@code after} (void if gone). */
    static int[] lut(List<?> before, List<?> after) {
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) {
            int at = v < before.size() ? after.indexOf(before.get(v)) : -1;
            lut[v] = v == LabelMask.VOID || at < 0 ? LabelMask.VOID : at;
        }
        return lut;
    }

    /** {@code m} with every label v but void replaced by {@code remap[v]}, or void where that is out of range. */
    static LabelMask apply(LabelMask m, int[] remap) {
        byte[] labels = m.toBytes();
        for (int i = 0; i < labels.length; i++) {
            int v = labels[i] & 0xff;
            if (v != LabelMask.VOID) {
                labels[i] = (byte) (v < remap.length && remap[v] >= 0 ? remap[v] : LabelMask.VOID);
            }
        }
        return new LabelMask(m.width(), m.height(), labels);
    }

    private static List<String> names(List<ClassRow> rows) {
        return rows.stream().map(r -> r.toPrompt().name()).toList();
    }
}

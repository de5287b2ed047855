package org.seglight.ui.viewer;

import org.seglight.inference.ScoreMaps;
import org.seglight.inference.SegmentationResult;
import org.seglight.inference.SlotMapping;
import org.seglight.render.Colormap;
import org.seglight.ui.inspector.InspectorViewModel;

/**
 * One heat map ready to draw: values on a grid of {@code scale}-pixel cells, the range the colour bar spans,
 * and a caption that says what it is. Computed from the network's outputs without changing them.
 */
public record MapLayer(int width, int height, int scale, float[] values, float min, float max, String caption) {

    /**
     * The map of {@code kind} for table row {@code row}, or null when there is none (no result, a class the
     * model does not score, S maps of the plain FPN variant).
     */
    public static MapLayer of(MapKind kind, int row, String rowName, SegmentationResult r, SlotMapping mapping,
            InspectorViewModel.GridMap attention) {
        if (r == null || kind == MapKind.NONE) {
            return null;
        }
        int slot = mapping.slotOf(row);
        switch (kind) {
            case PROBABILITY -> {
                return slot < 0 ? null : plane(r.probabilities(), slot, 0, 1, "P('" + rowName + "')");
            }
            case S0 -> {
                return slot < 0 || r.s0() == null ? null : plane(r.s0(), slot, Float.NaN, Float.NaN,
                        "S0('" + rowName + "') before fusion");
            }
            case S -> {
                return slot < 0 || r.s() == null ? null : plane(r.s(), slot, Float.NaN, Float.NaN,
                        "S('" + rowName + "') after fusion");
            }
            case CONFIDENCE -> {
                ScoreMaps p = r.probabilities();
                float[] top = new float[p.width() * p.height()];
                for (int k = 0; k < p.classes(); k++) {
                    int off = k * top.length;
                    for (int i = 0; i < top.length; i++) {
                        top[i] = Math.max(top[i], p.data()[off + i]);
                    }
                }
                return new MapLayer(p.width(), p.height(), p.scale(), top, 0, 1, "Confidence (top probability)");
            }
            case ATTENTION -> {
                if (attention == null) {
                    return null;
                }
                float[] range = Colormap.range(attention.values());
                return new MapLayer(attention.gridWidth(), attention.gridHeight(), 32, attention.values(), 0,
                        range[1], "Attention: '" + rowName + "'");
            }
            default -> {
                return null;
            }
        }
    }

    private static MapLayer plane(ScoreMaps m, int k, float min, float max, String caption) {
        float[] v = m.plane(k);
        if (Float.isNaN(min)) {
            float[] range = Colormap.range(v);
            min = range[0];
            max = range[1];
        }
        return new MapLayer(m.width(), m.height(), m.scale(), v, min, max, caption);
    }

    /** ARGB pixels of the map on its grid. */
    public int[] argb() {
        return Colormap.render(values, min, max);
    }
}

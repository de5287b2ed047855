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
        MapLayer coarse = coarse(kind, row, rowName, r, mapping, attention);
        return coarse == null ? null : coarse.refined();
    }

    /** The most pixels a refined map has (16 MB of ARGB). */
    static final long MAX_REFINED_PIXELS = 4L << 20;

    /**
     * The map on a grid {@code f} times finer (f a power of two, up to a quarter of the cell size, within
     * {@link #MAX_REFINED_PIXELS}), interpolated bilinearly between cell centres and extrapolated linearly in the
     * half cell along the border. Drawn by the viewer's own smoothing instead, a coarse grid shows straight
     * creases half a cell in from the image's edges (the border half cell is flat) and wherever the renderer's
     * texel centres are off by half a cell; a map this fine leaves the renderer nothing to get wrong.
     */
    MapLayer refined() {
        int f = 1;
        while (f * 2 <= scale / 4 && (long) width * height * (f * 2L) * (f * 2L) <= MAX_REFINED_PIXELS) {
            f *= 2;
        }
        if (f == 1) {
            return this;
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        int w = width * f;
        int h = height * f;
        int[] x0 = new int[w];
        float[] tx = new float[w];
        axis(width, f, x0, tx);
        int[] y0 = new int[h];
        float[] ty = new float[h];
        axis(height, f, y0, ty);
        int x1Step = width > 1 ? 1 : 0;
        int y1Step = height > 1 ? width : 0;
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            int row = y0[y] * width;
            float b = ty[y];
            for (int x = 0; x < w; x++) {
                int i = row + x0[x];
                float a = tx[x];
                float top = values[i] + a * (values[i + x1Step] - values[i]);
                float bottom = values[i + y1Step] + a * (values[i + y1Step + x1Step] - values[i + y1Step]);
                out[y * w + x] = Math.max(lo, Math.min(hi, top + b * (bottom - top)));
            }
        }
        return new MapLayer(w, h, scale / f, out, min, max, caption);
    }

    /**
     * For each of n·f fine pixels along an axis of n cells: the cell whose centre starts its interpolation
     * segment and the fraction along it, below 0 or above 1 in the border half cells (linear extrapolation).
     */
    private static void axis(int n, int f, int[] first, float[] t) {
        for (int i = 0; i < n * f; i++) {
            float u = (i + 0.5f) / f - 0.5f; // in cell units, cell centres at integers
            int c = n > 1 ? Math.max(0, Math.min(n - 2, (int) Math.floor(u))) : 0;
            first[i] = c;
            t[i] = n > 1 ? u - c : 0;
        }
    }

    private static MapLayer coarse(MapKind kind, int row, String rowName, SegmentationResult r, SlotMapping mapping,
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

package org.seglight.ui.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MapLayerTest {

    @Test
    void aCoarseGridIsRefinedWithoutCreasesAtItsBorder() {
        // A 15x12 grid of 32-pixel cells (a 480x360 image's S map) holding a plane: 2x + 3y.
        int w = 15;
        int h = 12;
        float[] v = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                v[y * w + x] = 2 * x + 3 * y + 100;
            }
        }
        MapLayer fine = new MapLayer(w, h, 32, v, 0, 200, "plane").refined();
        assertThat(fine.scale()).isEqualTo(4);
        assertThat(fine.width()).isEqualTo(w * 8);
        assertThat(fine.height()).isEqualTo(h * 8);
        // The plane stays a plane everywhere but where it would leave the data's range: the same step between
        // neighbours, in the border half cells too (a flat border half cell is the straight crease 16 px in).
        float step = 2f / 8;
        for (int y = 8; y < fine.height() - 8; y++) {
            for (int x = 1; x < fine.width(); x++) {
                float d = fine.values()[y * fine.width() + x] - fine.values()[y * fine.width() + x - 1];
                if (x > 4 && x < fine.width() - 4) {
                    assertThat(d).as("step at " + x + "," + y).isCloseTo(step, org.assertj.core.data.Offset.offset(1e-4f));
                }
            }
        }
        int mid = fine.height() / 2 * fine.width();
        float first = fine.values()[mid];
        float second = fine.values()[mid + 1];
        assertThat(second - first).as("the first fine pixels still slope").isGreaterThan(step / 2);
    }

    @Test
    void fineMapsAreLeftAsTheyAre() {
        MapLayer p = new MapLayer(4, 3, 1, new float[12], 0, 1, "probabilities");
        assertThat(p.refined()).isSameAs(p);
    }
}

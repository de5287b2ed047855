package org.seglight.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.seglight.mask.LabelMask;

/** The cross entropy, plain and class-balanced, against sums worked out by hand. */
class LossesTest {

    @Test
    void theClassWeightsScaleEachPixelsTermAndVoidCountsNothing() {
        // Two classes, three pixels: label 0, label 1, void; logits (1, 2), (0.5, -1), (3, 3).
        long[] labels = {0, 1, LabelMask.VOID};
        double p0 = Math.log(Math.exp(1) / (Math.exp(1) + Math.exp(2)));     // log p(0) at pixel 0
        double p1 = Math.log(Math.exp(-1) / (Math.exp(0.5) + Math.exp(-1))); // log p(1) at pixel 1
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray l = m.create(new float[] {1f, 0.5f, 3f, 2f, -1f, 3f}, new Shape(1, 2, 1, 3));
            NDArray y = m.create(labels, new Shape(1, 1, 3));
            float plain = Losses.crossEntropy(l, y).getFloat();
            assertThat((double) plain).isCloseTo(-(p0 + p1) / 3, within(1e-5));
            float weighted = Losses.crossEntropy(l, y, m.create(new float[] {0.25f, 4f})).getFloat();
            assertThat((double) weighted).isCloseTo(-(0.25 * p0 + 4 * p1) / 3, within(1e-5));
            assertThat(Losses.crossEntropy(l, y, m.create(new float[] {1f, 1f})).getFloat())
                    .isCloseTo(plain, within(1e-6f));
        }
    }

    @Test
    void classWeightsMustBePositive() {
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"classWeights\": [1.0, 0.0]}"))
                .hasMessageContaining("positive");
        assertThat(TrainConfig.fromJson("{\"classWeights\": [0.26, 4.56]}").classWeights).containsExactly(0.26,
                4.56);
    }
}

package org.seglight.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seglight.TestSupport;
import org.seglight.io.Safetensors;

/** A new class list keeps the learned weights of every class it still names, wherever it now stands. */
class ClassCarryOverTest {

    @Test
    void classesAreMatchedByNameAndNewOnesStartFromTheNearestText() {
        assertThat(ClassCarryOver.byName(List.of("Sky", "Car", "Road"), List.of("road", " sky", "bus")))
                .containsExactly(2, 0, -1);
        float[][] old = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        float[][] fresh = {{0, 0, 1}, {1, 0, 0}, {0.2f, 0.9f, 0.1f}};
        assertThat(ClassCarryOver.nearestByText(old, fresh, new int[] {2, 0, -1})).containsExactly(-1, -1, 1);
        assertThat(ClassCarryOver.nearestByText(new float[0][], fresh, new int[] {2, 0, -1}))
                .containsExactly(-1, -1, -1);
    }

    @Test
    void keptClassesCarryTheirClassifierRowsAndScoreMapColumnsAndNothingElseChanges() {
        ModelConfig config = TestSupport.tiny(Variant.CONVFORMER); // 3 classes
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SeglightNetwork trained = new SeglightNetwork(config, m.newSubManager());
                SeglightNetwork next = new SeglightNetwork(config.withNumClasses(4), m.newSubManager())) {
            Map<String, Safetensors.Tensor> old = Weights.export(trained.parameters());
            // Old classes [sky, car, road]; new [road, sky, bus, cone]: bus starts from car, cone afresh.
            int[] sameName = {2, 0, -1, -1};
            int[] nearest = {-1, -1, 1, -1};
            float[] clsBefore = next.parameters().entries().get("head.cls.weight").array().toFloatArray();
            ClassCarryOver.Report report = ClassCarryOver.load(next.parameters(), next.config(), old, 3, sameName,
                    nearest);
            assertThat(report.kept()).isEqualTo(2);
            assertThat(report.fromText()).isEqualTo(1);
            assertThat(report.afresh()).isEqualTo(1);
            assertThat(report.freshTensors()).isEmpty();

            Map<String, Safetensors.Tensor> now = Weights.export(next.parameters());
            int ch = (int) old.get("head.cls.weight").shape()[1];
            float[] oldCls = old.get("head.cls.weight").data();
            float[] newCls = now.get("head.cls.weight").data();
            assertThat(row(newCls, 0, ch)).containsExactly(row(oldCls, 2, ch));
            assertThat(row(newCls, 1, ch)).containsExactly(row(oldCls, 0, ch));
            float[] bus = row(newCls, 2, ch);
            assertThat(bus).isNotEqualTo(row(oldCls, 1, ch)); // the tie with car is broken ...
            for (int j = 0; j < ch; j++) { // ... by the classifier's small initial values
                assertThat(bus[j] - oldCls[ch + j]).isCloseTo(clsBefore[2 * ch + j], org.assertj.core.data.Offset.offset(1e-6f));
            }
            assertThat(row(newCls, 3, ch)).containsExactly(row(clsBefore, 3, ch));

            // The top lateral reads [features | S]: the feature columns stay, S columns follow their classes.
            long[] oldShape = old.get("neck.lateral.3.weight").shape();
            long[] newShape = now.get("neck.lateral.3.weight").shape();
            assertThat(newShape[1]).isEqualTo(oldShape[1] + 1);
            int features = (int) oldShape[1] - 3;
            float[] oldLat = old.get("neck.lateral.3.weight").data();
            float[] newLat = now.get("neck.lateral.3.weight").data();
            for (int o = 0; o < newShape[0]; o++) {
                for (int i = 0; i < features; i++) {
                    assertThat(newLat[o * (int) newShape[1] + i]).isEqualTo(oldLat[o * (int) oldShape[1] + i]);
                }
                assertThat(newLat[o * (int) newShape[1] + features]).as("road's S column")
                        .isEqualTo(oldLat[o * (int) oldShape[1] + features + 2]);
                assertThat(newLat[o * (int) newShape[1] + features + 2]).as("bus starts from car's S column")
                        .isEqualTo(oldLat[o * (int) oldShape[1] + features + 1]);
            }
            // Everything not indexed by class is the trained network's.
            for (var e : old.entrySet()) {
                if (!ClassCarryOver.axes(next.config()).stream().anyMatch(a -> a.name().equals(e.getKey()))) {
                    assertThat(now.get(e.getKey()).data()).as(e.getKey()).containsExactly(e.getValue().data());
                }
            }
        }
    }

    private static float[] row(float[] data, int r, int len) {
        return Arrays.copyOfRange(data, r * len, (r + 1) * len);
    }
}

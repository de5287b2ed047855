package org.seglight.ui.inspector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.seglight.inference.AttentionMaps;
import org.seglight.inference.SlotMapping;

/** The inspector shows the network's own attention numbers for the unit, direction, head and pixel chosen. */
class InspectorViewModelTest {

    /** One unit, two heads, K = 2 tokens, a 2×1 grid (N = 2), with hand-picked softmax values. */
    private static AttentionMaps maps() {
        float[] c2f = {
            // head 0: token 0 over pixels, token 1 over pixels
            0.9f, 0.1f, 0.3f, 0.7f,
            // head 1
            0.5f, 0.5f, 0.2f, 0.8f,
        };
        float[] f2c = {
            // head 0: pixel 0 over tokens, pixel 1 over tokens
            0.6f, 0.4f, 0.25f, 0.75f,
            // head 1
            0.2f, 0.8f, 0.35f, 0.65f,
        };
        return new AttentionMaps(1, 2, 2, 2, 1, new float[][] {c2f}, new float[][] {f2c});
    }

    @Test
    void pixelBarsAndClassMapsAreTheNetworksValues() {
        InspectorViewModel vm = new InspectorViewModel();
        vm.setAttention(maps(), SlotMapping.identity(2), List.of("sky", "road"));
        assertThat(vm.unitsProperty().get()).isEqualTo(1);
        assertThat(vm.headsProperty().get()).isEqualTo(2);
        // Token 0's map over the pixels, mean of heads.
        assertThat(vm.heatMapProperty().get().values()).containsExactly(new float[] {0.7f, 0.3f}, within(1e-6f));
        vm.selectPixel(40, 3); // grid cell 1
        vm.directionProperty().set(InspectorViewModel.Direction.PIXEL_TO_TOKENS);
        assertThat(vm.barsProperty().get().get(0).value()).isCloseTo(0.3f, within(1e-6f));
        assertThat(vm.barsProperty().get().get(1).value()).isCloseTo(0.7f, within(1e-6f));
        assertThat(vm.barsProperty().get()).extracting(InspectorViewModel.Bar::name).containsExactly("sky", "road");
        vm.headProperty().set(1);
        assertThat(vm.barsProperty().get()).extracting(InspectorViewModel.Bar::value).containsExactly(0.35f, 0.65f);
        // Former2Conv as a map: how much each pixel attends to the selected token (road).
        vm.selectedRowProperty().set(1);
        assertThat(vm.heatMapProperty().get().values()).containsExactly(0.8f, 0.65f);
        vm.directionProperty().set(InspectorViewModel.Direction.TOKEN_TO_PIXELS);
        assertThat(vm.barsProperty().get()).extracting(InspectorViewModel.Bar::value).containsExactly(0.5f, 0.8f);
        assertThat(vm.captionProperty().get()).contains("Unit 1").contains("head 2").contains("pixel (40, 3)");
    }

    @Test
    void aClassPaintedByHandHasNoTokenAndAModelWithoutFusionSaysSo() {
        InspectorViewModel vm = new InspectorViewModel();
        vm.setAttention(maps(), new SlotMapping(new int[] {0, 1}), List.of("sky", "road", "cone"));
        vm.selectedRowProperty().set(2);
        assertThat(vm.heatMapProperty().get()).isNull();
        assertThat(vm.captionProperty().get()).contains("painted by hand");
        vm.setAttention(AttentionMaps.none(2, 2, 1), SlotMapping.identity(2), List.of("sky", "road"));
        assertThat(vm.captionProperty().get()).contains("no fusion units");
        assertThat(vm.barsProperty().get()).isEmpty();
    }

    @Test
    void aTokenWhoseClassWasRemovedIsNoBarButItsShareIsSaid() {
        InspectorViewModel vm = new InspectorViewModel();
        // Slot 1's class was removed from the table: the model keeps its token, the table has one row.
        vm.setAttention(maps(), new SlotMapping(new int[] {0, -1}), List.of("sky"));
        vm.directionProperty().set(InspectorViewModel.Direction.PIXEL_TO_TOKENS);
        vm.selectPixel(40, 3); // cell 1: mean of heads over the tokens = (0.3, 0.7)
        assertThat(vm.barsProperty().get()).extracting(InspectorViewModel.Bar::name).containsExactly("sky");
        assertThat(vm.barsProperty().get().getFirst().value()).isCloseTo(0.3f, within(1e-6f));
        assertThat(vm.captionProperty().get()).contains("1 model token whose class was removed from the table left"
                + " out (together 0.7000)").doesNotContain("removed slot");
        assertThat(InspectorViewModel.Direction.PIXEL_TO_TOKENS.guidance()).contains("sum to 1");
        // Another image: the charted pixel is forgotten, so no square or bars point at the wrong place.
        vm.clearPixel();
        assertThat(vm.selectedPixelProperty().get()).isNull();
        assertThat(vm.barsProperty().get()).isEmpty();
    }
}

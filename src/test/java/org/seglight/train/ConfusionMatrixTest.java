package org.seglight.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.seglight.mask.LabelMask;

/** IoU and the confusion matrix on hand-made masks with answers worked out by hand. */
class ConfusionMatrixTest {

    @Test
    void knownAnswers() {
        // Ground truth (4x2):  0 0 1 1 / 2 2 255 1     Prediction: 0 1 1 1 / 2 0 2 255
        byte[] gt = {0, 0, 1, 1, 2, 2, (byte) 255, 1};
        LabelMask pred = new LabelMask(4, 2, new byte[] {0, 1, 1, 1, 2, 0, 2, (byte) 255});
        ConfusionMatrix cm = new ConfusionMatrix(3);
        cm.add(pred, gt);
        assertThat(cm.counts()).isDeepEqualTo(new long[][] {{1, 1, 0}, {0, 2, 0}, {1, 0, 1}});
        // class 0: I=1, U = gt 2 + pred 2 - 1 = 3; class 1: I=2, U = gt 3 (one predicted void) + pred 3 - 2 = 4;
        // class 2: I=1, U = gt 2 + pred 1 - 1 = 2 (the prediction 2 on a void pixel is not counted)
        double[] iou = cm.iou();
        assertThat(iou[0]).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(iou[1]).isCloseTo(2.0 / 4, within(1e-12));
        assertThat(iou[2]).isCloseTo(1.0 / 2, within(1e-12));
        assertThat(cm.meanIou()).isCloseTo((1.0 / 3 + 0.5 + 0.5) / 3, within(1e-12));
        assertThat(cm.pixelAccuracy()).isCloseTo(4.0 / 7, within(1e-12));
        assertThat(cm.perClass(List.of("a", "b", "c"))).containsKeys("a", "b", "c");
    }

    @Test
    void classesAbsentEverywhereAreLeftOutOfTheMean() {
        ConfusionMatrix cm = new ConfusionMatrix(4);
        cm.add(new LabelMask(2, 1, new byte[] {0, 1}), new byte[] {0, 1});
        assertThat(cm.iou()[3]).isNaN();
        assertThat(cm.meanIou()).isEqualTo(1.0);
    }
}

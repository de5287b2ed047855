package org.seglight.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The counts docs/NETWORK.md §5-§7 gives for the paper's setting (C=512, K=150, 512×512). */
class ModelReportTest {

    @Test
    void paperConvformerMatchesTheSpec() {
        ModelReport.Report r = ModelReport.measure(ModelConfig.preset("paper", Variant.CONVFORMER, 0, 150), 512, 512);
        assertThat((double) r.parameters()).isCloseTo(46.76e6, within(0.01 * 46.76e6));
        assertThat(r.parameters()).isEqualTo(46_763_414L);
        assertThat(r.macs() / 1e9).isCloseTo(41.8, within(0.03 * 41.8));
        ModelReport.Row unitConv = r.rows().stream().filter(x -> x.component().startsWith("unit 1: Conv ")).findFirst()
                .orElseThrow();
        assertThat(unitConv.parameters()).isEqualTo(3_186_688L);
        assertThat(unitConv.macs() / 1e9).isCloseTo(0.812, within(0.001));
    }

    @Test
    void paperFpnBaselineMatchesTheSpec() {
        ModelReport.Report r = ModelReport.measure(ModelConfig.preset("paper", Variant.FPN, 0, 150), 512, 512);
        assertThat(r.macs() / 1e9).isCloseTo(33.4, within(0.03 * 33.4));
    }
}

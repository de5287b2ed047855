package org.seglight.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelConfigTest {

    @Test
    void jsonRoundTripKeepsEveryNumber() {
        ModelConfig c = ModelConfig.preset("paper", Variant.CONVFORMER_DOT, 512, 19).withUnits(3);
        String json = c.toJson();
        assertThat(json).contains("\"variant\": \"convformer-dot\"");
        assertThat(ModelConfig.fromJson(json)).isEqualTo(c);
    }

    @Test
    void presetsFollowTheSpec() {
        ModelConfig paper = ModelConfig.preset("paper", Variant.CONVFORMER, 0, 150);
        assertThat(paper.embedDim()).isEqualTo(512);
        assertThat(paper.units()).isEqualTo(6);
        assertThat(paper.formerHeads()).isEqualTo(8);
        assertThat(paper.convExpansion()).isEqualTo(6);
        assertThat(paper.fusedChannels()).isEqualTo(662);
        assertThat(ModelConfig.preset("lite", Variant.FPN, 0, 11).fusedChannels()).isEqualTo(320);
    }

    @Test
    void invalidConfigsSayWhatIsWrong() {
        assertThatThrownBy(() -> ModelConfig.preset("paper", Variant.CONVFORMER, 0, 150).withUnits(9))
                .hasMessageContaining("units must be 1..8");
        assertThatThrownBy(() -> ModelConfig.fromJson("{\"variant\":\"convformer\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numClasses");
        assertThatThrownBy(() -> ModelConfig.preset("huge", Variant.FPN, 0, 3)).hasMessageContaining("Unknown preset");
        assertThatThrownBy(() -> Variant.fromId("segformer")).hasMessageContaining("convformer-dot");
    }
}

package org.seglight.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TextEncoderTest {

    private static TransformerTextEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = TransformerTextEncoder.miniLm();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void miniLmGivesUnitLength384dEmbeddings() {
        float[][] e = encoder.embed(List.of("a photo of a car.", "a photo of the sky."));
        assertThat(encoder.dimension()).isEqualTo(384);
        assertThat(e[0]).hasSize(384);
        assertThat(dot(e[0], e[0])).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
    }

    @Test
    void similarWordingIsCloserThanOtherClasses() {
        float[][] e = encoder.embed(List.of("a photo of a car.", "a photo of an automobile.", "a photo of the sky."));
        assertThat(dot(e[0], e[1])).isGreaterThan(dot(e[0], e[2]) + 0.2);
        // Deterministic: the same prompt gives the same vector.
        assertThat(encoder.embed(List.of("a photo of a car."))[0]).containsExactly(e[0]);
    }

    @Test
    void cacheRunsTheEncoderOnlyForNewPrompts() {
        EmbeddingCache cache = new EmbeddingCache(16);
        cache.embed(encoder, List.of("a photo of a road.", "a photo of a tree."));
        assertThat(cache.misses()).isEqualTo(2);
        float[][] again = cache.embed(encoder, List.of("a photo of a tree.", "a photo of a pole."));
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(3);
        assertThat(again[0]).containsExactly(encoder.embed(List.of("a photo of a tree."))[0]);
    }

    @Test
    void promptsAndTemplates() {
        assertThat(new ClassPrompt("pole").prompt()).isEqualTo("a photo of a pole.");
        assertThat(new ClassPrompt("pole", "{} in a street scene", -1).prompt()).isEqualTo("pole in a street scene");
        assertThatThrownBy(() -> new ClassPrompt("pole", "no slot", -1)).hasMessageContaining("{}");
        assertThatThrownBy(() -> PromptSet.of("car", "Car")).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> new PromptSet(List.of())).hasMessageContaining("empty");
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}

package org.seglight.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.model.Checkpoint;
import org.seglight.model.ModelCard;
import org.seglight.model.ModelConfig;
import org.seglight.model.SeglightNetwork;
import org.seglight.model.Variant;
import org.seglight.text.ClassPrompt;
import org.seglight.text.PromptSet;
import org.seglight.text.TransformerTextEncoder;

/** The inference API end to end on a small untrained model with the real MiniLM text encoder. */
class SegmenterTest {

    @TempDir
    static Path dir;

    private static final PromptSet PROMPTS = PromptSet.of("road", "sky", "car");
    private static Segmenter segmenter;

    @BeforeAll
    static void createModel() throws Exception {
        ModelConfig config = new ModelConfig(Variant.CONVFORMER, 384, 1, 2, 6, 2, 1, 16, 16, 3, 0.1f, 0.07f, 0.4f,
                64, 64, 1e-5f, 0.1f);
        Path file = dir.resolve("small.seglight");
        Engine.getEngine("PyTorch").setRandomSeed(3);
        try (TransformerTextEncoder encoder = TransformerTextEncoder.miniLm();
                NDManager m = NDManager.newBaseManager("PyTorch");
                SeglightNetwork net = new SeglightNetwork(config, m.newSubManager())) {
            Checkpoint.save(file, net, PROMPTS, encoder.id(), encoder.embed(PROMPTS.prompts()),
                    ModelCard.untrained("small", false));
        }
        segmenter = Segmenter.open(file, DevicePolicy.AUTO);
    }

    @AfterAll
    static void close() {
        segmenter.close();
    }

    private static BufferedImage noise(int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        return img;
    }

    private static BufferedImage mirrored(BufferedImage img) {
        BufferedImage m = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                m.setRGB(img.getWidth() - 1 - x, y, img.getRGB(x, y));
            }
        }
        return m;
    }

    @Test
    void forgettingTheFeaturesMakesTheNextRunEncodeAfresh() {
        BufferedImage img = noise(64, 64, 9);
        segmenter.segment(img, PROMPTS, true);
        assertThat(segmenter.segment(img, PROMPTS, true).timings().featuresCached()).isTrue();
        segmenter.forgetFeatures();
        assertThat(segmenter.featureCacheBytes()).isZero();
        assertThat(segmenter.segment(img, PROMPTS, true).timings().featuresCached()).isFalse();
    }

    /**
     * Flip test-time augmentation averages the upright and the mirrored pass, so it is exactly mirror-symmetric:
     * segmenting the mirrored image gives the mirrored result. Its maps and attention are the upright pass's.
     */
    @Test
    void flipTestTimeAugmentationGivesTheMirroredResultForTheMirroredImage() {
        BufferedImage img = noise(120, 90, 5);
        int w = img.getWidth();
        SegmentationResult plain = segmenter.segment(img, PROMPTS, true);
        segmenter.setTestTimeFlip(true);
        try {
            assertThat(segmenter.testTimeFlip()).isTrue();
            SegmentationResult a = segmenter.segment(img, PROMPTS, true);
            assertThat(a.timings().featuresCached()).as("not the upright run's cached features").isFalse();
            SegmentationResult b = segmenter.segment(mirrored(img), PROMPTS, true);
            double differs = 0;
            for (int y = 0; y < 90; y++) {
                for (int x = 0; x < w; x++) {
                    assertThat(a.mask().get(x, y)).as("(%d, %d)", x, y).isEqualTo(b.mask().get(w - 1 - x, y));
                    for (int k = 0; k < 3; k++) {
                        assertThat(a.probabilities().at(k, x, y)).isCloseTo(b.probabilities().at(k, w - 1 - x, y),
                                within(1e-5f));
                        differs = Math.max(differs, Math.abs(a.probabilities().at(k, x, y)
                                - plain.probabilities().at(k, x, y)));
                    }
                }
            }
            assertThat(differs).as("the mirrored pass changes the probabilities").isGreaterThan(1e-4);
            assertThat(a.s().data()).containsExactly(plain.s().data());
            // Sliding windows take the flip too, window by window.
            SegmentationResult slid = segmenter.segment(noise(700, 420, 6), PROMPTS, false);
            assertThat(slid.timings().windows()).isGreaterThan(1);
            assertThat(slid.mask().width()).isEqualTo(700);
        } finally {
            segmenter.setTestTimeFlip(false);
        }
        assertThat(segmenter.segment(img, PROMPTS, true).probabilities().data())
                .containsExactly(plain.probabilities().data());
    }

    @Test
    void returnsAMaskProbabilitiesScoreMapsAndAttentionAtTheRightSizes() {
        SegmentationResult r = segmenter.segment(noise(60, 50, 1), PROMPTS);
        assertThat(r.mask().width()).isEqualTo(60);
        assertThat(r.mask().height()).isEqualTo(50);
        assertThat(r.probabilities().width()).isEqualTo(60);
        float sum = 0;
        for (int k = 0; k < 3; k++) {
            sum += r.probabilities().at(k, 17, 23);
        }
        assertThat(sum).isCloseTo(1f, within(1e-4f));
        int best = 0;
        for (int k = 1; k < 3; k++) {
            if (r.probabilities().at(k, 17, 23) > r.probabilities().at(best, 17, 23)) {
                best = k;
            }
        }
        assertThat(r.mask().get(17, 23)).isEqualTo(best);
        assertThat(r.s().width()).isEqualTo(2);
        assertThat(r.s().height()).isEqualTo(2);
        assertThat(r.s0()).isNotNull();
        AttentionMaps a = r.attention();
        assertThat(a.units()).isEqualTo(1);
        float overPixels = 0;
        for (float v : a.tokenHeatMap(0, 0, 1)) {
            overPixels += v;
        }
        assertThat(overPixels).isCloseTo(1f, within(1e-4f));
        float overClasses = 0;
        for (float v : a.pixelDistribution(0, -1, 3)) {
            overClasses += v;
        }
        assertThat(overClasses).isCloseTo(1f, within(1e-4f));
        assertThat(r.device()).containsAnyOf("CPU", "GPU");
    }

    @Test
    void aPromptEditReusesTheImageFeatures() {
        BufferedImage img = noise(64, 64, 2);
        SegmentationResult first = segmenter.segment(img, PROMPTS);
        SegmentationResult same = segmenter.segment(img, PROMPTS);
        assertThat(same.timings().featuresCached()).isTrue();
        assertThat(same.mask()).isEqualTo(first.mask());
        PromptSet edited = new PromptSet(List.of(new ClassPrompt("asphalt road"), new ClassPrompt("sky"),
                new ClassPrompt("car", "a blurry photo of a {}.", -1)));
        SegmentationResult after = segmenter.segment(img, edited);
        assertThat(after.timings().featuresCached()).isTrue();
        assertThat(after.timings().encodeMs()).isZero();
        assertThat(after.s().data()).isNotEqualTo(first.s().data());
        SegmentationResult other = segmenter.segment(noise(64, 64, 3), PROMPTS);
        assertThat(other.timings().featuresCached()).isFalse();
        // Going back to the first image (Page Up) runs only the text-dependent part: several images are kept.
        SegmentationResult back = segmenter.segment(img, PROMPTS);
        assertThat(back.timings().featuresCached()).isTrue();
        assertThat(back.mask()).isEqualTo(first.mask());
        assertThat(segmenter.cachedImages()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theFeatureCacheKeepsTheLatestImagesWithinItsBudget() {
        segmenter.featureBudget(0); // drops what other tests left
        segmenter.segment(noise(96, 96, 98), PROMPTS); // alone over a zero budget: not kept at all
        assertThat(segmenter.cachedImages()).isZero();
        try {
            segmenter.featureBudget(Segmenter.FEATURE_CACHE_BYTES);
            segmenter.segment(noise(96, 96, 99), PROMPTS);
            long one = segmenter.featureCacheBytes();
            assertThat(one).isPositive();
            segmenter.featureBudget(one * 3);
            List<BufferedImage> seen = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                seen.add(noise(96, 96, 100 + i));
                segmenter.segment(seen.getLast(), PROMPTS);
            }
            assertThat(segmenter.cachedImages()).isEqualTo(3);
            assertThat(segmenter.featureCacheBytes()).isLessThanOrEqualTo(one * 3);
            assertThat(segmenter.segment(seen.get(5), PROMPTS).timings().featuresCached()).isTrue();
            assertThat(segmenter.segment(seen.get(3), PROMPTS).timings().featuresCached()).isTrue();
            assertThat(segmenter.segment(seen.get(0), PROMPTS).timings().featuresCached()).as("the oldest went")
                    .isFalse();
        } finally {
            segmenter.featureBudget(Segmenter.FEATURE_CACHE_BYTES);
        }
    }

    @Test
    void imagesLargerThanTheInputRunAsWindows() {
        SegmentationResult r = segmenter.segment(noise(150, 100, 4), PROMPTS);
        assertThat(r.timings().windows()).isGreaterThan(1);
        assertThat(r.mask().width()).isEqualTo(150);
        assertThat(r.mask().height()).isEqualTo(100);
        assertThat(r.s().width()).isEqualTo(5);
        assertThat(r.s().height()).isEqualTo(4);
    }

    @Test
    void aWrongNumberOfPromptsIsRefused() {
        assertThatThrownBy(() -> segmenter.segment(noise(32, 32, 5), PromptSet.of("road", "sky")))
                .hasMessageContaining("labels 3 classes");
    }
}

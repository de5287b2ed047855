package org.seglight.inference;

import java.util.List;

/**
 * One engine running a loaded model's network for the {@link Segmenter}: the encoder on a padded window,
 * the text-dependent decoder on cached features, and the last step from logits to labels and probabilities.
 * Implementations are not thread-safe; the Segmenter serialises calls.
 */
interface NetworkRunner extends AutoCloseable {

    /** Which engine and provider run, and why, in words. */
    String describe();

    /**
     * Encodes one window.
     *
     * @param chw the normalised window (3, hp, wp), hp and wp multiples of 32
     */
    Features encode(float[] chw, int hp, int wp);

    /** Decodes cached features with text embeddings (K, C), or null for the fpn variant. */
    Window decode(Features features, float[][] text);

    /**
     * Labels (argmax) and probabilities (softmax over the classes) of the top-left width×height region of
     * logits (upsampled ×4 first when they are a decoder's), the probabilities resized to pw×ph when that is
     * smaller.
     */
    Finished finish(Logits logits, int width, int height, int pw, int ph);

    /**
     * Wraps the sum of the windows' logits (K, height, width) and how many windows cover each pixel
     * (height, width), so {@link #finish} can take their average.
     */
    Logits wrap(float[] sum, float[] count, int k, int height, int width);

    @Override
    void close();

    /** Encoder outputs kept for the prompt-edit path; closing frees them. */
    interface Features extends AutoCloseable {
        @Override
        void close();
    }

    /** Logits (1, K, h, w) held by the engine: a decoder's at stride 4, or wrapped ones at full resolution. */
    interface Logits extends AutoCloseable {
        /** Adds the top-left w×h region of the ×4 upsampled logits into a (K, imageHeight, imageWidth) sum at (x, y). */
        void addTo(float[] sum, int imageWidth, int imageHeight, int x, int y, int w, int h);

        @Override
        void close();
    }

    /**
     * One window's decoder outputs: the logits at stride 4, S₀ and S (K, fh, fw) or null, and per unit the
     * attention c2f (h·K, N) and f2c per token (h·K, N).
     */
    record Window(Logits logits, float[] s0, float[] s, List<float[]> c2f, List<float[]> f2cPerToken, int fw,
            int fh) {}

    /** Labels (h·w) and probabilities (K, ph, pw). */
    record Finished(byte[] labels, float[] probabilities) {}
}

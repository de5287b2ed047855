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

    /** A zeroed sum (K, height, width) of windows' upsampled logits, held where the engine wants it. */
    Sum newSum(int k, int height, int width);

    /**
     * Labels and probabilities of a sum's average: each pixel divided by how many windows cover it (count,
     * height × width), the probabilities resized to pw×ph when that is smaller.
     */
    Finished finish(Sum sum, float[] count, int pw, int ph);

    @Override
    void close();

    /** Encoder outputs kept for the prompt-edit path; closing frees them. */
    interface Features extends AutoCloseable {
        @Override
        void close();
    }

    /** A sum of logits over the whole image, from {@link #newSum}; closing frees it. */
    interface Sum extends AutoCloseable {
        /** The sum so far as a (K, height, width) array. */
        float[] toArray();

        @Override
        void close();
    }

    /** A decoder's logits (1, K, h, w) at stride 4, held by the engine. */
    interface Logits extends AutoCloseable {
        /** Adds the top-left w×h region of the ×4 upsampled logits into the sum at (x, y). */
        void addTo(Sum sum, int x, int y, int w, int h);

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

package org.seglight.inference;

import java.nio.FloatBuffer;
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
     * Labels (argmax) and probabilities (softmax over the classes) of the top-left width×height region of a
     * decoder's logits upsampled ×4, the probabilities averaged over scale×scale blocks (partial blocks at the
     * right and bottom over the pixels they hold) when scale is above 1.
     */
    Finished finish(Logits logits, int width, int height, int scale);

    /**
     * Labels and probabilities of rows [from, to) of a band of blended windows: each pixel's weighted sum of
     * logits divided by its sum of weights, then as {@link #finish(Logits, int, int, int)}. {@code to - from} is
     * a multiple of scale unless the rows end the image.
     */
    Finished finish(Band band, int from, int to, int scale);

    @Override
    void close();

    /** Encoder outputs kept for the prompt-edit path; closing frees them. */
    interface Features extends AutoCloseable {
        /** The memory they hold, in bytes. */
        long bytes();

        @Override
        void close();
    }

    /** A decoder's logits (1, K, h, w) at stride 4, held by the engine. */
    interface Logits extends AutoCloseable {
        /**
         * The top-left w×h region of the ×4 upsampled logits as (K, h, w), in a buffer the engine reuses: valid
         * until the next call on this runner.
         */
        FloatBuffer upsampled(int w, int h);

        @Override
        void close();
    }

    /**
     * One window's decoder outputs: the logits at stride 4, S₀ and S (K, fh, fw) or null, and per unit the
     * attention c2f (h·K, N) and f2c per token (h·K, N).
     */
    record Window(Logits logits, float[] s0, float[] s, List<float[]> c2f, List<float[]> f2cPerToken, int fw,
            int fh) {}

    /** Labels (rows·w) and probabilities (K, ceil(rows/scale), ceil(w/scale)). */
    record Finished(byte[] labels, float[] probabilities) {}
}

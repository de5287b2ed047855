package org.seglight.inference;

import java.awt.image.BufferedImage;
import org.seglight.model.ModelCard;
import org.seglight.model.ModelConfig;
import org.seglight.text.PromptSet;

/**
 * What the app needs of a loaded model: segment an image with a prompt set, and say what the model is. The
 * {@link Segmenter} is the real one; tests of the app's view-models use a fake that needs no engine.
 */
public interface SegmentationService extends AutoCloseable {

    /**
     * Segments an image with K prompts in the model's slot order.
     *
     * @param whole one pass over the whole image (squeezed to the network input) instead of sliding windows
     * @throws IllegalStateException when the service was closed
     */
    SegmentationResult segment(BufferedImage image, PromptSet prompts, boolean whole);

    /**
     * As {@link #segment(BufferedImage, PromptSet, boolean)}, telling {@code progress} how many windows are
     * done; when it returns false the run stops with a {@link java.util.concurrent.CancellationException}.
     */
    default SegmentationResult segment(BufferedImage image, PromptSet prompts, boolean whole, Progress progress) {
        return segment(image, prompts, whole);
    }

    /** Told how many of an image's windows are done; returning false cancels the run. */
    @FunctionalInterface
    interface Progress {
        boolean update(int done, int total);
    }

    /**
     * Flip test-time augmentation: each window is also run mirrored left to right, and the two passes' logits
     * are averaged. It costs a second pass of the network per window.
     */
    void setTestTimeFlip(boolean on);

    /** Whether {@link #setTestTimeFlip} is on. */
    boolean testTimeFlip();

    /** The classes the model was trained with, one per slot. */
    PromptSet defaultPrompts();

    ModelCard card();

    ModelConfig config();

    /** Where it runs and why, for the status bar. */
    String deviceDescription();

    /** Frees the model; a later {@link #segment} throws {@link IllegalStateException}. */
    @Override
    void close();
}

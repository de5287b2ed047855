package org.seglight.ui;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.seglight.inference.AttentionMaps;
import org.seglight.inference.DevicePolicy;
import org.seglight.inference.ScoreMaps;
import org.seglight.inference.SegmentationResult;
import org.seglight.inference.SegmentationService;
import org.seglight.inference.Timings;
import org.seglight.mask.LabelMask;
import org.seglight.model.ModelCard;
import org.seglight.model.ModelConfig;
import org.seglight.model.Variant;
import org.seglight.text.PromptSet;

/**
 * A model without an engine, for the view-models' tests: a pixel's slot is a function of its brightness and of
 * the prompts' words, so a prompt edit changes the prediction, and the same input always gives the same mask.
 * It can be slowed down, and it refuses work once closed, as the real {@link org.seglight.inference.Segmenter}.
 */
final class FakeSegmentationService implements SegmentationService {

    static final int SCALE = 4;
    static final AtomicInteger OPEN = new AtomicInteger();

    private final PromptSet classes;
    private final String name;
    private volatile boolean closed;
    volatile long delayMs;
    final AtomicInteger runs = new AtomicInteger();

    FakeSegmentationService(String name, PromptSet classes) {
        this.name = name;
        this.classes = classes;
        OPEN.incrementAndGet();
    }

    /** An opener for {@link ModelSession}: the file's name becomes the model's name. */
    static ModelSession.Opener opener(PromptSet classes) {
        return (Path file, DevicePolicy policy, org.seglight.inference.InferenceEngine engine) ->
                new FakeSegmentationService(file.getFileName().toString(),
                classes);
    }

    @Override
    public SegmentationResult segment(BufferedImage image, PromptSet prompts, boolean whole) {
        if (closed) {
            throw new IllegalStateException("The model " + name + " was closed");
        }
        runs.incrementAndGet();
        if (delayMs > 0) {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int k = prompts.size();
        int shift = Math.floorMod(String.join("|", prompts.prompts()).hashCode(), k);
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] labels = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int lum = ((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3;
                labels[y * w + x] = (byte) ((lum * k / 256 + shift) % k);
            }
        }
        int pw = (w + SCALE - 1) / SCALE;
        int ph = (h + SCALE - 1) / SCALE;
        float[] p = new float[k * pw * ph];
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < pw; x++) {
                int top = labels[Math.min(h - 1, y * SCALE) * w + Math.min(w - 1, x * SCALE)] & 0xff;
                for (int c = 0; c < k; c++) {
                    p[(c * ph + y) * pw + x] = c == top ? 0.7f : 0.3f / (k - 1) * (1 + (c + x) % 2 * 0.1f);
                }
            }
        }
        return new SegmentationResult(new LabelMask(w, h, labels), new ScoreMaps(k, pw, ph, SCALE, p), null, null,
                AttentionMaps.none(k, pw, ph), prompts, new Timings(1, 1, 1, 1, 1, false), "fake");
    }

    @Override
    public void setTestTimeFlip(boolean on) {
        flip = on;
    }

    @Override
    public boolean testTimeFlip() {
        return flip;
    }

    private boolean flip;

    @Override
    public PromptSet defaultPrompts() {
        return classes;
    }

    @Override
    public ModelCard card() {
        return new ModelCard(name, "none", "none", Map.of(), Map.of(), 0, 0, "fake", "2026-12-02T00:00:00Z");
    }

    @Override
    public ModelConfig config() {
        return ModelConfig.preset("lite", Variant.CONVFORMER, 384, classes.size());
    }

    @Override
    public String deviceDescription() {
        return "fake device";
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            OPEN.decrementAndGet();
        }
    }
}

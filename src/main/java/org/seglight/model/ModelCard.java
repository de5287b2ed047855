package org.seglight.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a checkpoint says about itself: where its weights came from, under which licence, how it was
 * trained and how well it does.
 *
 * @param name a short name
 * @param data the training data, or "untrained"
 * @param licence the licence the weights inherit from their data
 * @param metrics named results, e.g. {@code val_miou}
 * @param perClassIou IoU per class name
 * @param iterations training iterations
 * @param trainingSeconds wall time of training
 * @param notes free text
 * @param created ISO-8601 creation time
 */
public record ModelCard(String name, String data, String licence, Map<String, Double> metrics,
        Map<String, Double> perClassIou, long iterations, double trainingSeconds, String notes, String created) {

    public ModelCard {
        // Copies that keep the order (classes in index order) and cannot be changed.
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        perClassIou = perClassIou == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(perClassIou));
    }

    /** What the trainer writes into the notes when the validation split was also trained on. */
    public static final String VAL_TRAINED_ON = "was part of the training data";

    /**
     * Whether the card's validation figures were measured on images the model was trained on (a final model
     * retrained on train + val): they are then not an estimate, and should not be shown as one.
     */
    public boolean valInTraining() {
        return notes != null && notes.contains(VAL_TRAINED_ON);
    }

    /** A card for freshly initialised weights. */
    public static ModelCard untrained(String name, boolean imageNetEncoder) {
        return new ModelCard(name, "untrained", imageNetEncoder
                ? "encoder from ImageNet MobileNetV2 (Apache-2.0, ONNX Model Zoo); other weights random"
                : "random weights", Map.of(), Map.of(), 0, 0, "Not trained: its masks are not meaningful.",
                java.time.Instant.now().toString());
    }
}

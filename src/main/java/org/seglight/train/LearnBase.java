package org.seglight.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.seglight.inference.DefaultModel;
import org.seglight.model.Checkpoint;
import org.seglight.model.InvalidModelException;

/**
 * Which model learning starts from when the user does not say. Measured (docs/RESULTS.md, "Learning new
 * classes"): on a domain the default model never saw, a fresh decoder on the ImageNet encoder learns far better
 * than the street-scene decoder, even for classes the two share; the default model is the better start only
 * for the classes it was trained on.
 */
public final class LearnBase {

    /** A base and the sentence that says why it was picked. */
    public record Choice(Path model, String name, String reason) {}

    /** Picks among the shipped models for a class table. */
    public static Choice choose(List<String> classes) throws InvalidModelException {
        return choose(classes, DefaultModel.locate().orElse(null),
                DefaultModel.locate(DefaultModel.IMAGENET_BASE).orElse(null));
    }

    /**
     * @param defaultModel the shipped default model, or null when it is missing
     * @param imageNetBase the shipped ImageNet base, or null when it is missing
     */
    public static Choice choose(List<String> classes, Path defaultModel, Path imageNetBase)
            throws InvalidModelException {
        List<String> unknown = new ArrayList<>(classes);
        if (defaultModel != null) {
            List<String> known = Checkpoint.readPrompts(defaultModel).names().stream()
                    .map(n -> n.strip().toLowerCase(Locale.ROOT)).toList();
            unknown.removeIf(c -> known.contains(c.strip().toLowerCase(Locale.ROOT)));
            if (unknown.isEmpty() || imageNetBase == null) {
                return new Choice(defaultModel, "the default model", unknown.isEmpty()
                        ? "it already has all " + classes.size() + " classes"
                        : "the ImageNet base is not installed (looked for " + DefaultModel.IMAGENET_BASE + ")");
            }
        }
        if (imageNetBase == null) {
            throw new InvalidModelException("Neither the default model nor the ImageNet base ("
                    + DefaultModel.IMAGENET_BASE + ") is installed; pass a model to learn from");
        }
        return new Choice(imageNetBase, "the ImageNet base", describeUnknown(unknown, classes.size())
                + ", and a fresh decoder on the ImageNet encoder learns a new domain best");
    }

    private static String describeUnknown(List<String> unknown, int total) {
        if (unknown.size() == total) {
            return "none of the " + total + " classes is one the default model knows";
        }
        return unknown.size() + " of the " + total + " classes (" + String.join(", ", unknown.subList(0,
                Math.min(4, unknown.size()))) + (unknown.size() > 4 ? ", ..." : "") + ") are new to the default model";
    }

    /** The base a model file name stands for: {@code default}, {@code imagenet} or a path. */
    public static Optional<Choice> named(String model) {
        if (model == null) {
            return Optional.empty();
        }
        return switch (model) {
            case "default" -> Optional.of(new Choice(DefaultModel.locate().orElseThrow(() -> new IllegalStateException(
                    "The default model is not installed")), "the default model", "asked for"));
            case "imagenet" -> Optional.of(new Choice(DefaultModel.locate(DefaultModel.IMAGENET_BASE).orElseThrow(
                    () -> new IllegalStateException("The ImageNet base is not installed (looked for "
                            + DefaultModel.candidates(DefaultModel.IMAGENET_BASE).getLast() + ")")),
                    "the ImageNet base", "asked for"));
            default -> Optional.of(new Choice(Path.of(model), Path.of(model).getFileName().toString(), "asked for"));
        };
    }

    private LearnBase() {}
}

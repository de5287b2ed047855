package org.seglight.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.seglight.inference.DefaultModel;
import org.seglight.io.ClassList;
import org.seglight.text.ClassPrompt;
import org.seglight.text.PromptSet;

/** Small parsing helpers shared by the commands. */
final class CliSupport {

    /** Parses {@code WxH}. */
    static int[] parseSize(String text) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                int w = Integer.parseInt(parts[0].trim());
                int h = Integer.parseInt(parts[1].trim());
                if (w > 0 && h > 0) {
                    return new int[] {w, h};
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("Size must look like 512x512, got '" + text + "'");
    }

    /** The model the user named, or the shipped default model. */
    /** The {@code --tta} option: false for none, true for flip; anything else is refused by name. */
    static boolean flip(String tta) {
        return switch (tta == null ? "none" : tta.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "none" -> false;
            case "flip" -> true;
            default -> throw new IllegalArgumentException("--tta must be none or flip, got '" + tta + "'");
        };
    }

    static Path modelOrDefault(Path model) {
        if (model != null) {
            return model;
        }
        return DefaultModel.locate().orElseThrow(() -> new IllegalStateException(
                "No model given and no default model found (looked for " + DefaultModel.candidates().getLast()
                        + "); pass --model FILE"));
    }

    /**
     * The model's own prompts, or other names (and prompts) for the same label indices from a class CSV, with
     * an optional template for every class.
     */
    static PromptSet prompts(PromptSet model, Path classes, String template, int voidIndex) throws IOException {
        PromptSet prompts = model;
        if (classes != null) {
            String t = template != null ? template : model.classes().getFirst().template();
            prompts = ClassList.toPrompts(ClassList.read(classes), voidIndex, t);
            if (prompts.size() != model.size()) {
                throw new IllegalArgumentException(classes.getFileName() + " names " + prompts.size()
                        + " classes; the model labels " + model.size());
            }
        } else if (template != null) {
            prompts = new PromptSet(model.classes().stream()
                    .map(c -> new ClassPrompt(c.name(), template, c.rgb())).toList());
        }
        return prompts;
    }

    private CliSupport() {}
}

package org.seglight.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.seglight.inference.DefaultModel;

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
    static Path modelOrDefault(Path model) {
        if (model != null) {
            return model;
        }
        return DefaultModel.locate().orElseThrow(() -> new IllegalStateException(
                "No model given and no default model found (looked for " + DefaultModel.candidates().getLast()
                        + "); pass --model FILE"));
    }

    private CliSupport() {}
}

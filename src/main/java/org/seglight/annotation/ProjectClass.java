package org.seglight.annotation;

import org.seglight.text.ClassPrompt;

/**
 * One row of a folder's class table: what the user calls the class, how it is shown, and where its pixels come
 * from.
 *
 * @param name the class name, e.g. {@code car}; saved masks are matched to the table by it ({@link ClassMatch})
 * @param template the prompt template, with {@code {}} where the name goes; null for the default
 * @param rgb the display colour as 0xRRGGBB, or -1 for the default palette's colour of the class's row
 * @param visible whether the class is drawn over the image
 * @param slot the model's class slot the class reads, or {@link #PAINTED} for a class only painted by hand
 * @param locked whether the painting tools leave the class's pixels as they are
 */
public record ProjectClass(String name, String template, int rgb, boolean visible, int slot, boolean locked) {

    /** The slot of a class the model does not predict. */
    public static final int PAINTED = -1;

    public ProjectClass {
        ClassPrompt checked = new ClassPrompt(name, template, rgb); // the same rules as a prompt's
        name = checked.name();
        template = checked.template();
        if (rgb < -1 || rgb > 0xffffff) {
            throw new IllegalArgumentException("The colour of '" + name + "' must be 0xRRGGBB or -1 for the"
                    + " default, got " + rgb);
        }
        if (slot < PAINTED) {
            throw new IllegalArgumentException("The model slot of '" + name + "' must be 0 or more, or -1 for a"
                    + " class painted by hand, got " + slot);
        }
    }

    /** A class not locked against overpainting. */
    public ProjectClass(String name, String template, int rgb, boolean visible, int slot) {
        this(name, template, rgb, visible, slot, false);
    }

    /** The class as the text encoder and the overlay see it. */
    public ClassPrompt prompt() {
        return new ClassPrompt(name, template, rgb);
    }
}

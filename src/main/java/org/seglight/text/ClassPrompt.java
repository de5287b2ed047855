package org.seglight.text;

/**
 * One class as the user names it: a name, the prompt template it is put into, and its display colour.
 *
 * @param name the class name, e.g. {@code car}
 * @param template a template with {@code {}} where the name goes, e.g. {@code a photo of a {}.}
 * @param rgb display colour as 0xRRGGBB, or -1 to pick one from the default palette
 */
public record ClassPrompt(String name, String template, int rgb) {

    public static final String DEFAULT_TEMPLATE = "a photo of a {}.";

    public ClassPrompt {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A class name must not be empty");
        }
        name = name.strip();
        template = template == null || template.isBlank() ? DEFAULT_TEMPLATE : template;
        if (!template.contains("{}")) {
            throw new IllegalArgumentException("The prompt template for '" + name + "' must contain {} where the"
                    + " class name goes, got '" + template + "'");
        }
    }

    public ClassPrompt(String name) {
        this(name, DEFAULT_TEMPLATE, -1);
    }

    /** The text given to the text encoder, e.g. {@code a photo of a car.} */
    public String prompt() {
        return template.replace("{}", name);
    }
}

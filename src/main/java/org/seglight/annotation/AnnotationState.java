package org.seglight.annotation;

/**
 * How far the annotation of one image has come: untouched, edited by the user, or exported.
 *
 * <p>Shown on thumbnails so the user sees at a glance which images still need work.
 */
public enum AnnotationState {
    NONE("Not edited"),
    EDITED("Edited"),
    EXPORTED("Exported");

    private final String label;

    AnnotationState(String label) {
        this.label = label;
    }

    /** A short label for the user, e.g. {@code Edited}. */
    public String label() {
        return label;
    }
}

package org.seglight.annotation;

/**
 * How far the annotation of one image has come: untouched, edited by the user, reviewed, or exported.
 *
 * <p>Shown on thumbnails so the user sees at a glance which images still need work. The constants are in the
 * order the work goes; saves name the state ({@link #name()}), never its position, so files written before a
 * state was added still read.
 */
public enum AnnotationState {
    NONE("Not edited"),
    EDITED("Edited"),
    /** The user accepted the mask as correct. */
    REVIEWED("Reviewed"),
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

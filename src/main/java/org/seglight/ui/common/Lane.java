package org.seglight.ui.common;

/**
 * The background lanes of the app. Work in one lane runs one at a time, in the order it was started; lanes run
 * beside each other. Saving is not a lane: {@link org.seglight.annotation.Autosaver} orders every write of an
 * image against every read of it.
 */
public enum Lane {
    /** Loading a model and running it: one network at a time. */
    MODEL,
    /** Reading images, saved annotations and the project file. */
    IO,
    /** Exports, which may take minutes and must not hold up the model lane's interactive work. */
    EXPORT,
    /** Learning from corrections: minutes of work beside segmenting and exporting, with its own network. */
    LEARN;

    /** The name of the lane's thread. */
    public String threadName() {
        return "seglight-" + name().toLowerCase(java.util.Locale.ROOT);
    }
}

package org.seglight.ui.common;

/**
 * Runs an action once things have been quiet for a moment: typing in a prompt re-segments when the typing
 * pauses, not at every key. A new call with the same key restarts the wait.
 */
public interface Debouncer {

    void call(String key, Runnable action);

    /** Runs at once: for tests of view-models. */
    Debouncer IMMEDIATE = (key, action) -> action.run();
}

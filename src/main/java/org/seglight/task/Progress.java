package org.seglight.task;

/**
 * The one progress interface of long work (model load, inference over folders, export, training): what is
 * happening, how far it is, and whether the user asked to stop. The app adapts it to a progress bar and a
 * cancel button, the CLI to a console line and Ctrl-C.
 */
public interface Progress {

    /** Reports a step; {@code total} ≤ 0 means unknown. */
    void update(String message, long done, long total);

    /** Whether the work should stop at the next safe point. */
    boolean isCancelled();

    /** Progress that nobody watches and that is never cancelled. */
    Progress NONE = new Progress() {
        @Override
        public void update(String message, long done, long total) {}

        @Override
        public boolean isCancelled() {
            return false;
        }
    };
}

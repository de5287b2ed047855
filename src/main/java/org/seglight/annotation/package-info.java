/**
 * The user's annotations: a mask under correction with its undo history ({@link org.seglight.annotation.MaskEditor},
 * {@link org.seglight.annotation.ImageEdits}), how saved masks are matched to a changed class table, and where
 * masks and projects are kept on disk, written behind by the {@link org.seglight.annotation.Autosaver}. Plain Java
 * on top of {@code mask}, {@code io} and {@code text}; it must not depend on the network ({@code model},
 * {@code inference}, {@code train}), on {@code ui} or on JavaFX.
 */
package org.seglight.annotation;

/**
 * Wiring and launch: the launcher that picks the command line or the desktop app, and the JavaFX
 * {@code Application} that builds the main window and closes the model on exit. Nothing depends on this package;
 * it holds no logic of its own.
 */
package org.seglight.app;

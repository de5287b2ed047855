/**
 * The main window and its coordination: {@link org.seglight.ui.MainView} and
 * {@link org.seglight.ui.MainViewModel}, which owns the feature view-models and passes events between them, with
 * the model session, the project, segmentation, saving and export. The feature packages below it
 * ({@code ui.common}, {@code ui.images}, {@code ui.prompts}, {@code ui.corrections}, {@code ui.inspector},
 * {@code ui.viewer}) must never depend on this package; nothing outside {@code app} depends on {@code ui}.
 */
package org.seglight.ui;

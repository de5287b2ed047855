/**
 * The {@code seglight} command line (picocli): segment, train, evaluate, benchmark and inspect models headless,
 * reporting progress through {@link org.seglight.task.Progress}. It must not depend on {@code ui}, {@code app}
 * or JavaFX, so that it runs on a machine without a display.
 */
package org.seglight.cli;

/**
 * The class table: rows the user renames, rewords, recolours, hides, adds, removes and reorders, what each change
 * costs (re-run the text path, repaint, or relabel the mask), and how rows map to the model's slots. It may use
 * {@code ui.common}; it must not depend on the other {@code ui} feature packages.
 */
package org.seglight.ui.prompts;

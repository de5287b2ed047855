/**
 * The attention inspector: which fusion unit, direction and head, and what the network's own attention says for
 * a chosen class (a map over the image) or a chosen pixel (a value per class). It must not depend on the other
 * {@code ui} feature packages: the window passes it the class names and what to do when a class is clicked.
 */
package org.seglight.ui.inspector;

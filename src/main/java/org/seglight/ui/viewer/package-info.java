/**
 * The image viewer and its layer controls: one canvas painting image, mask, map and edit cursor in a fixed order,
 * the shared display options, heat maps with their colour bar. It sits above the other feature packages, whose
 * view-models it shows, and must not depend on the window ({@code org.seglight.ui}) that wires it.
 */
package org.seglight.ui.viewer;

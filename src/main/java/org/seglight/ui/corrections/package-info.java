/**
 * The correction tools on the open image's mask: brush and eraser strokes, polygons, fills, undo and redo, and
 * the repaint protocol the viewer follows. It knows the mask only through {@code annotation}, and must not
 * depend on the other {@code ui} feature packages or on views.
 */
package org.seglight.ui.corrections;

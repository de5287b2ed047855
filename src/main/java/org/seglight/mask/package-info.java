/**
 * The plain raster types every layer shares: an immutable per-pixel label map
 * ({@link org.seglight.mask.LabelMask}), a rectangle of its pixels ({@link org.seglight.mask.Region}) and polygon
 * filling. It depends on nothing else in Seglight, so that {@code io}, {@code annotation}, {@code inference} and
 * {@code train} can all use it without depending on each other.
 */
package org.seglight.mask;

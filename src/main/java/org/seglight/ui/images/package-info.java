/**
 * The images the user works through: the strip of a folder's images with their annotation states, the recent
 * list, and the session that keeps each image's pixels, edits and last segmentation while the user moves on. It
 * may use {@code ui.common}; it must not depend on the other {@code ui} feature packages.
 */
package org.seglight.ui.images;

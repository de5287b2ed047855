/**
 * Turning values into pixels, in plain Java so that it runs off the UI thread: class labels into ARGB through a
 * colour table, score maps through a perceptually even colour ramp. It may use {@code mask}; it must not depend
 * on JavaFX or on {@code ui}.
 */
package org.seglight.render;

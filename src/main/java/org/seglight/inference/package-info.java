/**
 * Running a trained network on an image: the model owner ({@link org.seglight.inference.Segmenter}) with its
 * cached image and text features, sliding windows, engine and device choice (ONNX Runtime on graphs written by
 * {@code model.OnnxExport} and cached per model file, or DJL/libtorch), and the plain results (masks, score
 * maps, attention) that cross into the rest of the app. No {@code NDArray} leaves this package; it must not depend on
 * {@code train}, {@code annotation}, {@code ui} or JavaFX.
 */
package org.seglight.inference;

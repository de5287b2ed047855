/**
 * ONNX models written from Java: the protobuf messages of the public ONNX IR, built field by field with
 * protobuf-java, and a small graph builder the network's modules describe themselves into.
 */
package org.seglight.onnx;

/**
 * The network by its parts: image encoder, text embeddings, the Conv2Former/Former2Conv fusion units, the
 * semantic FPN neck and decode head, with their configs, weights and checkpoints. It may use {@code io} and
 * {@code text}; it must not depend on {@code inference}, {@code train}, {@code annotation}, {@code ui} or JavaFX.
 */
package org.seglight.model;

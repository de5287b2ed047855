/**
 * File formats: images, indexed PNG masks, COCO, class lists, safetensors, atomic writes and the per-user folders.
 * It reads and writes plain values ({@link org.seglight.mask.LabelMask}, {@link org.seglight.text.PromptSet}) and
 * must not depend on {@code annotation}, the network packages, {@code ui} or JavaFX.
 */
package org.seglight.io;

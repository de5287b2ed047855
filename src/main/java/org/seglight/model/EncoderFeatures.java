package org.seglight.model;

import ai.djl.ndarray.NDArray;

/**
 * What the image alone determines: C2, C3, C4 for the FPN and the stride-32 map that meets the text (I₀, or
 * C5 for the fpn variant). Cached per image so a prompt edit re-runs only the text-dependent part.
 *
 * @param c2 (B, 24, H/4, W/4)
 * @param c3 (B, 32, H/8, W/8)
 * @param c4 (B, 96, H/16, W/16)
 * @param top I₀ (B, C, H/32, W/32), or C5 (B, 320, H/32, W/32) for fpn
 */
public record EncoderFeatures(NDArray c2, NDArray c3, NDArray c4, NDArray top) {}

package org.seglight.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The tensors of one forward pass (docs/NETWORK.md §10). Fields a variant does not produce are null (S0, S)
 * or empty (attention lists).
 *
 * @param logits (B, K, H/4, W/4)
 * @param s0 cosine score map before fusion (B, K, h, w); only when visuals were asked for, or for denseclip
 * @param s cosine score map after fusion (B, K, h, w); the aux loss uses S/τ
 * @param attnC2f per unit, (B, h_b, K, N): softmax over pixels for each text token
 * @param attnF2c per unit, (B, h_b, N, K): softmax over classes for each pixel
 */
public record NetworkOutput(NDArray logits, NDArray s0, NDArray s, List<NDArray> attnC2f, List<NDArray> attnF2c) {}

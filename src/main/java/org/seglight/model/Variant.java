package org.seglight.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * The network variants of docs/NETWORK.md §0, one code path switched by configuration.
 *
 * <p>They exist so the paper's comparisons (plain FPN, DenseCLIP-style score maps, the Conv-Former fusion
 * and its dot-product ablation) run from the same code and weights layout.
 */
public enum Variant {
    /** Vanilla Semantic FPN on the image encoder, no text. */
    FPN("fpn"),
    /** Score map S0 from the projected image feature and the text, concatenated to the feature. */
    DENSECLIP("denseclip"),
    /** The paper's model: a stack of Conv-Former units with a two-way cross-attention bridge. */
    CONVFORMER("convformer"),
    /** Ablation 4.4.1: each bridge's attention replaced by a plain inner-product similarity. */
    CONVFORMER_DOT("convformer-dot");

    private final String id;

    Variant(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Whether the network consumes text embeddings at all. */
    public boolean usesText() {
        return this != FPN;
    }

    /** Whether the network has fusion units. */
    public boolean hasUnits() {
        return this == CONVFORMER || this == CONVFORMER_DOT;
    }

    public static Variant fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(v -> v.id.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown variant '" + id + "'; expected one of "
                        + Arrays.stream(values()).map(Variant::id).toList()));
    }

    @Override
    public String toString() {
        return id;
    }
}

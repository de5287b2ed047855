package org.seglight.ui.viewer;

/** Which per-class map the viewer shows above the mask. */
public enum MapKind {
    NONE("No map"),
    PROBABILITY("Probability (final)"),
    S0("Score S0 (before fusion)"),
    S("Score S (after fusion)"),
    CONFIDENCE("Confidence (top probability)"),
    ATTENTION("Attention (inspector)");

    private final String label;

    MapKind(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}

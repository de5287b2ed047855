package org.seglight.ui.viewer;

/** Which per-class map the viewer shows above the mask. */
public enum MapKind {
    NONE("No map", "Choose a map to see how sure the network is, class by class."),
    PROBABILITY("Probability (final)", "Bright where the network gives this class most of the probability (0 to 1,"
            + " after fusion and the FPN): the mask takes the brightest class at each pixel."),
    S0("Score S0 (before fusion)", "The pixel-text similarity before the Conv-Former fuses words and image: bright"
            + " where the raw image features already look like this class's prompt."),
    S("Score S (after fusion)", "The similarity after fusion: compare it with S0 to see what the two-way attention"
            + " added (brighter than S0 where the words helped)."),
    CONFIDENCE("Confidence (top probability)", "The highest class probability at each pixel: dark where the network"
            + " hesitates between classes, the places worth checking first."),
    ATTENTION("Attention (inspector)", "How strongly the chosen class's text token and each pixel attend to each"
            + " other in a fusion unit (Attention tab): bright pixels are where the token looked.");

    private final String label;
    private final String guidance;

    MapKind(String label, String guidance) {
        this.label = label;
        this.guidance = guidance;
    }

    /** One sentence on how to read this map. */
    public String guidance() {
        return guidance;
    }

    @Override
    public String toString() {
        return label;
    }
}

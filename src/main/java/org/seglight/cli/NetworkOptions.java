package org.seglight.cli;

import org.seglight.model.ModelConfig;
import org.seglight.model.Variant;
import picocli.CommandLine.Option;

/** The options that pick a network configuration, shared by {@code model-info} and {@code bench}. */
final class NetworkOptions {

    @Option(names = "--preset", defaultValue = "lite", description = "paper or lite (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--variant", defaultValue = "convformer",
            description = "fpn, denseclip, convformer or convformer-dot (default: ${DEFAULT-VALUE})")
    String variant;

    @Option(names = "--units", description = "number of Conv-Former units (default: the preset's)")
    Integer units;

    @Option(names = "--neck", description = "FPN neck and head width (default: the preset's, 256 paper, 128 lite)")
    Integer neck;

    /** The preset's config for K classes and joint dimension C (0 for the preset's), with the overrides. */
    ModelConfig config(int classes, int embedDim) {
        ModelConfig config = ModelConfig.preset(preset, Variant.fromId(variant), embedDim, classes);
        if (units != null) {
            config = config.withUnits(units);
        }
        return neck == null ? config : config.withFpnChannels(neck, neck);
    }
}

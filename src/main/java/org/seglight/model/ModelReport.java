package org.seglight.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Trainable parameters and multiply-accumulates per component, in the rows of docs/NETWORK.md §5 and §6.
 *
 * <p>Parameters are counted on the built network and MACs on a real forward pass at the requested size,
 * so the report describes the code, not a formula.
 */
public final class ModelReport {

    /** One component: its trainable parameters and its MACs for one image. */
    public record Row(String component, long parameters, long macs) {}

    /** The rows, then the totals. */
    public record Report(ModelConfig config, int width, int height, List<Row> rows, long parameters, long macs) {}

    /**
     * Builds the network for {@code config}, runs one forward pass at {@code width}×{@code height} (padded
     * to multiples of 32) and reports.
     */
    public static Report measure(ModelConfig config, int width, int height) {
        int w = (width + 31) / 32 * 32;
        int h = (height + 31) / 32 * 32;
        try (NDManager manager = NDManager.newBaseManager();
                SeglightNetwork net = new SeglightNetwork(config, manager.newSubManager());
                NDManager call = manager.newSubManager()) {
            NDArray image = call.zeros(new Shape(1, 3, h, w), DataType.FLOAT32);
            NDArray text = config.variant().usesText()
                    ? call.randomNormal(new Shape(config.numClasses(), config.embedDim()))
                    : null;
            Complexity counter = Complexity.start();
            try {
                net.forward(image, text, false, false);
            } finally {
                Complexity.stop();
            }
            ParameterSet p = net.parameters();
            List<Row> rows = new ArrayList<>();
            rows.add(new Row("MobileNetV2 (to layer7)", p.trainableCount("encoder."), counter.total("backbone")));
            if (config.variant().usesText()) {
                rows.add(new Row("image projection " + MobileNetV2Encoder.C5_CHANNELS + "->" + config.embedDim(),
                        p.trainableCount("proj."), counter.total("projection")));
            }
            if (config.units() > 0) {
                for (String part : new String[] {"c2f", "former", "conv", "f2c"}) {
                    rows.add(new Row("unit 1: " + switch (part) {
                        case "c2f" -> "Conv2Former";
                        case "former" -> "Former";
                        case "conv" -> "Conv (t=" + config.convExpansion() + ")";
                        default -> "Former2Conv";
                    }, p.trainableCount("units.0." + part + "."), counter.total("units/1/" + part)));
                }
                rows.add(new Row(config.units() + " units", p.trainableCount("units."), counter.total("units/")));
            }
            if (config.variant().usesText()) {
                rows.add(new Row("score map", 0, counter.total("score map")));
            }
            rows.add(new Row("FPN neck", p.trainableCount("neck."), counter.total("neck")));
            rows.add(new Row("FPN head incl. classifier", p.trainableCount("head."), counter.total("head")));
            rows.add(new Row("  of which classifier", p.trainableCount("head.cls."), counter.total("head/classifier")));
            return new Report(config, w, h, rows, p.trainableCount(""), counter.total());
        }
    }

    private ModelReport() {}
}

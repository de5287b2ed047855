package org.seglight.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.seglight.inference.DevicePolicy;
import org.seglight.inference.SegmentationResult;
import org.seglight.inference.Segmenter;
import org.seglight.inference.Timings;
import org.seglight.io.ImageLoader;
import org.seglight.io.MaskWriter;
import org.seglight.text.PromptSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seglight segment}: one image in, an indexed PNG mask and an overlay out. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Segment an image: writes NAME_mask.png (indexed, palette) and NAME_overlay.png.")
final class SegmentCommand implements Callable<Integer> {

    @Option(names = "--model", description = "model file (default: the shipped models/default.seglight)")
    Path model;

    @Option(names = "--image", required = true, description = "image file (PNG, JPEG, BMP, GIF, TIFF)")
    Path image;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() throws Exception {
        Path modelFile = CliSupport.modelOrDefault(model);
        BufferedImage img = ImageLoader.read(image);
        long start = System.nanoTime();
        try (Segmenter segmenter = Segmenter.open(modelFile, DevicePolicy.parse(device))) {
            long loaded = System.nanoTime();
            PromptSet prompts = segmenter.defaultPrompts();
            SegmentationResult result = segmenter.segment(img, prompts);
            long done = System.nanoTime();
            int[] colors = new int[prompts.size()];
            for (int k = 0; k < colors.length; k++) {
                colors[k] = prompts.color(k);
            }
            String stem = image.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            Path maskFile = out.resolve(stem + "_mask.png");
            Path overlayFile = out.resolve(stem + "_overlay.png");
            MaskWriter.writePng(MaskWriter.toIndexed(result.mask(), colors), maskFile);
            MaskWriter.writePng(MaskWriter.overlay(img, result.mask(), colors, 0.5f), overlayFile);
            Timings t = result.timings();
            System.out.printf("Segmented %s (%dx%d, %d classes) in %.0f ms on %s%n", image.getFileName(),
                    img.getWidth(), img.getHeight(), prompts.size(), (done - loaded) / 1e6, result.device());
            System.out.printf("  image encoder %.0f ms, text %.0f ms, fusion+FPN %.0f ms, post %.0f ms, %d window(s);"
                    + " model load %.0f ms%n", t.encodeMs(), t.textMs(), t.decodeMs(), t.postMs(), t.windows(),
                    (loaded - start) / 1e6);
            System.out.printf("  wrote %s and %s%n", maskFile, overlayFile);
        }
        return 0;
    }
}

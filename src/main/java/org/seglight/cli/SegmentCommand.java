package org.seglight.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.seglight.inference.DevicePolicy;
import org.seglight.inference.InferenceEngine;
import org.seglight.inference.SegmentationResult;
import org.seglight.inference.Segmenter;
import org.seglight.inference.Timings;
import org.seglight.io.AnnotationExporter;
import org.seglight.io.ImageLoader;
import org.seglight.text.PromptSet;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seglight segment}: one image or a whole folder in; indexed PNG masks with a palette, {@code
 * classes.csv}, a COCO file with RLE and colour overlays out. A folder run shows progress, skips unreadable
 * files and lists them, resumes where an interrupted run stopped, and exits non-zero when any image failed.
 */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Segment an image or a folder: OUT/masks/NAME.png (indexed, palette), OUT/classes.csv, "
                + "OUT/annotations.coco.json (RLE), OUT/overlays/NAME.png.")
final class SegmentCommand implements Callable<Integer> {

    static final class Input {
        @Option(names = "--image", required = true, description = "one image file (PNG, JPEG, TIFF, WebP, PSD, BMP, GIF and others)")
        Path image;

        @Option(names = "--input", required = true, description = "a folder: every image directly in it")
        Path folder;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--out", required = true, description = "output folder")
    Path out;

    @Option(names = "--model", description = "model file (default: the shipped models/default.seglight)")
    Path model;

    @Option(names = "--classes", description = "class names (and prompts) for the model's label indices (CSV:"
            + " index,name[,r,g,b[,template]])")
    Path classes;

    @Option(names = "--format", defaultValue = "png,coco,overlay", split = ",",
            description = "any of png, coco, overlay (default: ${DEFAULT-VALUE}); folder runs always write png,"
                    + " which is what a resumed run reads back")
    List<String> formats;

    @Option(names = "--whole", description = "one squeezed pass per image instead of sliding windows for large"
            + " images")
    boolean whole;

    @Option(names = "--include-damaged", description = "also segment truncated or damaged files, as much of them as"
            + " could be read (by default they are left out and named)")
    boolean includeDamaged;

    @Option(names = "--redo", description = "segment every image again, also those an earlier run finished")
    boolean redo;

    @Option(names = "--tta", defaultValue = "none", description = "test-time augmentation: none, or flip (each "
            + "window also run mirrored left to right and the logits averaged: about twice the time)")
    String tta;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--engine", defaultValue = "onnx", description = "onnx (ONNX Runtime) or pytorch (DJL on libtorch,"
            + " the training engine) (default: ${DEFAULT-VALUE})")
    String engine;

    @Override
    public Integer call() throws Exception {
        Set<AnnotationExporter.Format> fmt = AnnotationExporter.Format.parse(String.join(",", formats));
        List<Path> images;
        boolean folder = input.folder != null;
        if (folder) {
            if (!Files.isDirectory(input.folder)) {
                throw new IOException(input.folder + " is not a folder");
            }
            images = ImageLoader.listImages(input.folder);
            if (images.isEmpty()) {
                throw new IOException(input.folder + " holds no images (" + String.join(", ",
                        ImageLoader.EXTENSIONS.stream().sorted().toList()) + ")");
            }
            fmt = new java.util.HashSet<>(fmt);
            fmt.add(AnnotationExporter.Format.PNG);
        } else {
            images = List.of(input.image);
        }
        Path modelFile = CliSupport.modelOrDefault(model);
        boolean flip = CliSupport.flip(tta);
        long start = System.nanoTime();
        try (Segmenter segmenter = Segmenter.open(modelFile, DevicePolicy.parse(device),
                InferenceEngine.parse(engine))) {
            long loaded = System.nanoTime();
            segmenter.setTestTimeFlip(flip);
            PromptSet prompts = CliSupport.prompts(segmenter.defaultPrompts(), classes, null, -1);
            System.err.printf("Model %s on %s; %d image(s)%n", modelFile.getFileName(), segmenter.deviceDescription(),
                    images.size());
            Timings[] last = new Timings[1];
            AnnotationExporter.MaskSource masks = new AnnotationExporter.MaskSource() {
                @Override
                public org.seglight.mask.LabelMask maskFor(Path image) throws IOException {
                    return maskFor(image, ImageLoader.read(image));
                }

                @Override
                public org.seglight.mask.LabelMask maskFor(Path image, java.awt.image.BufferedImage pixels) {
                    // The pixels the export read (and checked for damage): the file is decoded once.
                    SegmentationResult r = segmenter.segment(pixels, prompts, whole);
                    last[0] = r.timings();
                    return r.mask();
                }
            };
            ConsoleProgress progress = new ConsoleProgress(System.err, folder ? 1_000 : 60_000)
                    .cancelOnInterrupt(Thread.currentThread());
            AnnotationExporter.Report report;
            try {
                report = AnnotationExporter.export(images, masks, prompts, out, fmt, folder && !redo, includeDamaged,
                        progress);
            } finally {
                progress.finish();
            }
            long done = System.nanoTime();
            if (!folder && report.failed().isEmpty() && last[0] != null) {
                Timings t = last[0];
                System.out.printf("Segmented %s in %.0f ms on %s: image encoder %.0f ms, text %.0f ms, fusion+FPN"
                        + " %.0f ms, post %.0f ms, %d window(s); model load %.0f ms%n", input.image.getFileName(),
                        t.totalMs(), segmenter.deviceDescription(), t.encodeMs(), t.textMs(), t.decodeMs(), t.postMs(),
                        t.windows(), (loaded - start) / 1e6);
            } else {
                System.out.printf("%d segmented, %d done by an earlier run, %d failed%s in %.1f s%n", report.exported(),
                        report.skipped(), report.failed().size(), report.cancelled() ? ", cancelled" : "",
                        (done - loaded) / 1e9);
            }
            System.out.println("Wrote " + out.toAbsolutePath());
            for (AnnotationExporter.Failure f : report.failed()) {
                System.out.println((f.damaged() ? "LEFT OUT (damaged; --include-damaged segments what was read) "
                        : "FAILED ") + f.image().getFileName() + ": " + f.reason());
            }
            if (report.cancelled()) {
                return 130;
            }
            return report.failed().isEmpty() ? 0 : 1;
        }
    }
}

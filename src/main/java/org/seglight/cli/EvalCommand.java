package org.seglight.cli;

import com.google.gson.GsonBuilder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seglight.inference.DevicePolicy;
import org.seglight.inference.InferenceEngine;
import org.seglight.inference.Segmenter;
import org.seglight.text.PromptSet;
import org.seglight.train.EvalResult;
import org.seglight.train.Evaluator;
import org.seglight.train.SegmentationDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seglight eval}: per-class IoU, mIoU, pixel accuracy and the confusion matrix on a labelled split. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model on a labelled split: per-class IoU, mIoU, pixel accuracy, confusion matrix.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", description = "model file (default: the shipped default model)")
    Path model;

    @Option(names = "--data", required = true, description = "dataset folder")
    Path data;

    @Option(names = "--split", description = "list file or sub-folder (default: images/ + labels/)")
    String split;

    @Option(names = "--classes", description = "other class names/prompts for the same label indices (CSV)")
    Path classes;

    @Option(names = "--template", description = "prompt template for --classes (default: the model's)")
    String template;

    @Option(names = "--void-index", defaultValue = "-1", description = "void label (default: the class named Unlabelled/void)")
    int voidIndex;

    @Option(names = "--mode", defaultValue = "whole", description = "whole or slide (default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--tta", defaultValue = "none", description = "test-time augmentation: none, or flip (each "
            + "window also run mirrored left to right and the logits averaged: about twice the time)")
    String tta;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu")
    String device;

    @Option(names = "--engine", defaultValue = "onnx", description = "onnx (ONNX Runtime) or pytorch (DJL on libtorch,"
            + " the training engine) (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!mode.equals("whole") && !mode.equals("slide")) {
            throw new IllegalArgumentException("--mode must be whole or slide, got '" + mode + "'");
        }
        Path modelFile = CliSupport.modelOrDefault(model);
        boolean flip = CliSupport.flip(tta);
        SegmentationDataset ds = SegmentationDataset.open(data, split, null, voidIndex, null);
        try (Segmenter segmenter = Segmenter.open(modelFile, DevicePolicy.parse(device),
                InferenceEngine.parse(engine))) {
            segmenter.setTestTimeFlip(flip);
            PromptSet prompts = CliSupport.prompts(segmenter.defaultPrompts(), classes, template,
                    voidIndex < 0 ? ds.voidIndex() : voidIndex);
            ConsoleProgress progress = new ConsoleProgress(System.err, 5_000);
            EvalResult r = Evaluator.evaluate(segmenter, ds, prompts, mode.equals("whole"), progress);
            if (json) {
                Map<String, Object> obj = new LinkedHashMap<>();
                obj.put("model", modelFile.toString());
                obj.put("images", r.images());
                obj.put("mode", mode);
                obj.put("miou", r.miou());
                obj.put("pixel_accuracy", r.pixelAccuracy());
                obj.put("per_class", r.perClass());
                obj.put("prompts", prompts.prompts());
                obj.put("confusion", r.confusion());
                obj.put("seconds", r.seconds());
                System.out.println(new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                        .create().toJson(obj));
            } else {
                System.out.printf("%s on %d images (%s, %s): mIoU %.2f, pixel accuracy %.2f, %.1f s%n",
                        modelFile.getFileName(), r.images(), mode, segmenter.deviceDescription(), 100 * r.miou(),
                        100 * r.pixelAccuracy(), r.seconds());
                r.perClass().forEach((name, iou) -> System.out.printf("  %-20s %6.2f%n", name, 100 * iou));
            }
        }
        return 0;
    }
}

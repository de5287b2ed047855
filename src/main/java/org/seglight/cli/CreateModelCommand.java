package org.seglight.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.seglight.io.ClassList;
import org.seglight.model.Checkpoint;
import org.seglight.model.ModelCard;
import org.seglight.model.ModelConfig;
import org.seglight.model.SeglightNetwork;
import org.seglight.model.Variant;
import org.seglight.model.Weights;
import org.seglight.text.ClassPrompt;
import org.seglight.text.PromptSet;
import org.seglight.text.TextEncoder;
import org.seglight.text.TransformerTextEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seglight create-model}: a new, untrained model file for a class list (the start of training). */
@Command(name = "create-model", mixinStandardHelpOptions = true,
        description = "Create an untrained model file for a class list (optionally with the ImageNet encoder).")
final class CreateModelCommand implements Callable<Integer> {

    @Option(names = "--classes", required = true, description = "classes.csv (index,name[,r,g,b])")
    Path classes;

    @Option(names = "--void-index", defaultValue = "-1", description = "class index to leave out as void/ignore")
    int voidIndex;

    @Option(names = "--preset", defaultValue = "lite", description = "paper or lite (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--variant", defaultValue = "convformer", description = "fpn, denseclip, convformer, convformer-dot")
    String variant;

    @Option(names = "--units", description = "number of Conv-Former units (default: the preset's)")
    Integer units;

    @Option(names = "--template", defaultValue = ClassPrompt.DEFAULT_TEMPLATE, description = "prompt template")
    String template;

    @Option(names = "--imagenet", description = "ImageNet MobileNetV2 safetensors (BatchNorm folded) for the encoder")
    Path imagenet;

    @Option(names = "--neck", description = "FPN neck and head width (default: the preset's)")
    Integer neck;

    @Option(names = "--base", description = "write a base for learning: the ImageNet encoder alone, no decoder "
            + "(models/imagenet-base.seglight is made this way)")
    boolean base;

    @Option(names = "--seed", defaultValue = "42", description = "random seed")
    int seed;

    @Option(names = "--out", required = true, description = "model file to write (.seglight)")
    Path out;

    @Override
    public Integer call() throws Exception {
        PromptSet prompts = ClassList.toPrompts(ClassList.read(classes), voidIndex, template);
        Variant v = Variant.fromId(variant);
        try (TextEncoder encoder = TransformerTextEncoder.miniLm()) {
            ModelConfig config = ModelConfig.preset(preset, v, encoder.dimension(), prompts.size());
            if (units != null) {
                config = config.withUnits(units);
            }
            if (neck != null) {
                config = config.withFpnChannels(neck, neck);
            }
            if (base && imagenet == null) {
                throw new IllegalArgumentException("--base needs --imagenet: a base is the ImageNet encoder");
            }
            float[][] emb = v.usesText() ? encoder.embed(prompts.prompts()) : new float[0][];
            Engine.getEngine("PyTorch").setRandomSeed(seed);
            try (NDManager manager = NDManager.newBaseManager("PyTorch");
                    SeglightNetwork net = new SeglightNetwork(config, manager.newSubManager())) {
                if (imagenet != null) {
                    Path file = Files.isDirectory(imagenet)
                            ? imagenet.resolve("mobilenetv2_imagenet_folded.safetensors") : imagenet;
                    Weights.loadImageNetEncoder(net.parameters(), file, config.normEps());
                }
                if (base) {
                    java.util.Map<String, org.seglight.io.Safetensors.Tensor> encoderOnly =
                            new java.util.LinkedHashMap<>(Weights.export(net.parameters()));
                    encoderOnly.keySet().removeIf(n -> !n.startsWith("encoder."));
                    ModelCard card = new ModelCard("ImageNet base", "ImageNet (encoder only, no decoder)",
                            "Apache-2.0: MobileNetV2 from the ONNX Model Zoo (mobilenetv2-12-int8, de-quantised to float32), BatchNorm folded",
                            java.util.Map.of(), java.util.Map.of(), 0, 0, "The start of learning a new domain: the "
                                    + "ImageNet MobileNetV2 encoder; the decoder is created afresh for the classes "
                                    + "learned. It cannot segment by itself.", java.time.Instant.now().toString());
                    Checkpoint.save(out, new Checkpoint.Contents(config, encoderOnly, prompts, encoder.id(), emb,
                            card));
                } else {
                    Checkpoint.save(out, net, prompts, encoder.id(), emb,
                            ModelCard.untrained(out.getFileName().toString(), imagenet != null));
                }
            }
            System.out.printf("Wrote %s: %s %s, %d classes, C=%d, %d units%n", out, preset, v, prompts.size(),
                    config.embedDim(), config.units());
        }
        return 0;
    }
}

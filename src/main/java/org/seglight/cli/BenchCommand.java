package org.seglight.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.seglight.inference.DevicePolicy;
import org.seglight.inference.InferenceEngine;
import org.seglight.inference.NetworkTiming;
import org.seglight.model.EncoderFeatures;
import org.seglight.model.ModelConfig;
import org.seglight.model.ModelReport;
import org.seglight.model.SeglightNetwork;
import org.seglight.model.TextEmbeddings;
import org.seglight.train.AdamW;
import org.seglight.train.Losses;
import org.seglight.train.PolySchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code seglight bench}: speed figures printed, never asserted: full forward, the prompt-edit path
 * (text-dependent part only) and training iterations per second, for one network configuration.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure inference latency, the prompt-edit path and training speed (figures, not tests).")
final class BenchCommand implements Callable<Integer> {

    @Mixin
    NetworkOptions network;

    @Option(names = "--classes", defaultValue = "11", description = "K")
    int classes;

    @Option(names = "--size", defaultValue = "480x360", description = "inference input WxH")
    String size;

    @Option(names = "--runs", defaultValue = "10", description = "timed runs after 3 warm-up runs")
    int runs;

    @Option(names = "--train-batch", defaultValue = "8", description = "training batch (0 skips training)")
    int trainBatch;

    @Option(names = "--train-crop", defaultValue = "384", description = "training crop")
    int trainCrop;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu")
    String device;

    @Option(names = "--engine", defaultValue = "onnx,pytorch", split = ",",
            description = "engines to measure side by side: onnx, pytorch (default: ${DEFAULT-VALUE})")
    List<String> engine;

    @Option(names = "--model", description = "benchmark this model file as users run it (or 'default' for the"
            + " shipped model): cold start, full and prompt-edit inference per size, memory, PyTorch eager ratios")
    String model;

    @Option(names = "--sizes", defaultValue = "480x360,1024x768", split = ",",
            description = "image sizes for --model (default: ${DEFAULT-VALUE})")
    List<String> sizes;

    @Option(names = "--image", description = "picture for --model, resized to each size (default: synthetic)")
    Path image;

    @Option(names = "--memory-images", defaultValue = "1000",
            description = "images segmented while sampling resident memory, with --model (0 skips)")
    int memoryImages;

    @Option(names = "--huge", description = "with --model: segment one image of each --huge-sizes size, each in a"
            + " fresh JVM, and print its time and resident memory (RSS) beside the K×H×W logits it no longer holds")
    boolean huge;

    @Option(names = "--huge-sizes", defaultValue = "480x360,4000x3000,12000x9000,20000x15000", split = ",",
            description = "image sizes for --huge (default: ${DEFAULT-VALUE})")
    List<String> hugeSizes;

    @Option(names = "--torch-script", defaultValue = "src/test/python/torch_eager.py",
            description = "the PyTorch eager twin used for ratios with --model")
    Path torchScript;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch")
    String python;

    @Override
    public Integer call() throws Exception {
        if (model != null) {
            Path file = model.equals("default") ? CliSupport.modelOrDefault(null) : Path.of(model);
            if (huge) {
                return HugeImageBench.run(file, hugeSizes.stream().map(CliSupport::parseSize).toList(),
                        engines().getFirst());
            }
            int code = new ModelBench(file, image, sizes.stream().map(CliSupport::parseSize).toList(), runs,
                    memoryImages, device, torchScript, python, engines()).run();
            if (trainBatch > 0) {
                trainSpeed(org.seglight.model.Checkpoint.read(file).config(), DevicePolicy.parse(device).choose());
            }
            return code;
        }
        int[] wh = CliSupport.parseSize(size);
        ModelConfig config = network.config(classes, 0);
        DevicePolicy.Choice choice = DevicePolicy.parse(device).choose();
        int h = (wh[1] + 31) / 32 * 32;
        int w = (wh[0] + 31) / 32 * 32;
        ModelReport.Report report = ModelReport.measure(config, w, h);
        System.out.printf("Seglight bench: %s / %s, K=%d, C=%d, units %d, FPN %d; %s; %d threads%n", network.preset,
                config.variant(), classes, config.embedDim(), config.units(), config.neckChannels(),
                choice.describe(), Runtime.getRuntime().availableProcessors());
        System.out.printf("  %,d parameters, %.2f GMACs at %dx%d%n", report.parameters(), report.macs() / 1e9, w, h);
        try (NDManager root = NDManager.newBaseManager(choice.device(), "PyTorch");
                SeglightNetwork net = new SeglightNetwork(config, root.newSubManager())) {
            NDArray text = config.variant().usesText()
                    ? root.randomNormal(new Shape(classes, config.embedDim())) : null;
            double[] full = new double[runs];
            double[] edit = new double[runs];
            for (int i = -3; i < runs; i++) {
                try (NDManager call = root.newSubManager()) {
                    NDArray image = call.randomNormal(new Shape(1, 3, h, w));
                    long t0 = System.nanoTime();
                    EncoderFeatures f = net.encode(image, false);
                    net.decode(f, text, false, true).logits().toFloatArray();
                    long t1 = System.nanoTime();
                    net.decode(f, text, false, true).logits().toFloatArray();
                    long t2 = System.nanoTime();
                    if (i >= 0) {
                        full[i] = (t1 - t0) / 1e6;
                        edit[i] = (t2 - t1) / 1e6;
                    }
                }
            }
            System.out.printf("  full forward %dx%d: median %.1f ms (min %.1f), %.1f images/s%n", w, h, median(full),
                    Arrays.stream(full).min().orElse(0), 1000 / median(full));
            System.out.printf("  prompt-edit path (cached image features): median %.1f ms%n", median(edit));
            float[][] rows = text == null ? null
                    : TextEmbeddings.rows(text.toFloatArray(), classes, config.embedDim());
            System.out.printf("  the network alone per engine (encoder + decoder, then the decoder alone):%n");
            double first = 0;
            for (InferenceEngine e : engines()) {
                NetworkTiming.Figures f = NetworkTiming.measure(net, rows, DevicePolicy.parse(device), e, choice, root,
                        w, h, runs);
                first = first == 0 ? f.fullMs() : first;
                System.out.printf("    %-14s %7.1f ms, decoder %6.1f ms, %.2fx the first (%s)%n", e.label(), f.fullMs(),
                        f.decodeMs(), f.fullMs() / first, f.engine());
            }
        }
        if (trainBatch > 0) {
            trainSpeed(config, choice);
        }
        return 0;
    }

    private List<InferenceEngine> engines() {
        return engine.stream().map(InferenceEngine::parse).distinct().toList();
    }

    private void trainSpeed(ModelConfig config, DevicePolicy.Choice choice) {
        try (NDManager root = NDManager.newBaseManager(choice.device(), "PyTorch");
                SeglightNetwork net = new SeglightNetwork(config, root.newSubManager())) {
            net.parameters().requireGradients(true);
            AdamW opt = new AdamW(net.parameters(), 1e-4f, 0.1f);
            PolySchedule schedule = new PolySchedule(1e-4, 1e-6, 0.9, 1000, 0, 1);
            NDArray text = config.variant().usesText()
                    ? root.randomNormal(new Shape(config.numClasses(), config.embedDim())) : null;
            int timed = Math.max(3, runs / 2);
            double[] sec = new double[timed];
            for (int i = -2; i < timed; i++) {
                try (NDManager call = root.newSubManager()) {
                    NDArray images = call.randomNormal(new Shape(trainBatch, 3, trainCrop, trainCrop));
                    NDArray labels = call.randomInteger(0, config.numClasses(),
                            new Shape(trainBatch, trainCrop, trainCrop), DataType.INT64);
                    NDArray t = text == null ? null : text.duplicate();
                    if (t != null) {
                        t.attach(call);
                    }
                    long t0 = System.nanoTime();
                    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                        gc.backward(Losses.total(net.forward(images, t, true, false), labels, config));
                    }
                    opt.step(schedule, Math.max(i, 0));
                    if (i >= 0) {
                        sec[i] = (System.nanoTime() - t0) / 1e9;
                    }
                }
            }
            double m = median(sec);
            System.out.printf("  training batch %d crop %d: median %.2f s/iteration, %.3f iterations/s, %.2f images/s%n",
                    trainBatch, trainCrop, m, 1 / m, trainBatch / m);
            System.out.println("    " + NativeHeap.describe());
        }
    }

    private static double median(double[] v) {
        return ModelBench.median(v);
    }
}

package org.seglight.inference;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.seglight.model.Checkpoint;
import org.seglight.model.InvalidModelException;
import org.seglight.model.OnnxExport;
import org.seglight.model.SeglightNetwork;

/**
 * The network alone on one engine, for the benchmark: the encoder and the decoder on a ready input tensor
 * (to the logits at stride 4, left inside the engine), without reading the image, stitching windows or the last
 * step to labels. Seglight's own overhead is the segmentation time minus this.
 */
public final class NetworkTiming {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NetworkTiming.class);

    /** Medians in ms: encoder + decoder, and the decoder alone (the prompt-edit path's network). */
    public record Figures(double fullMs, double decodeMs, String engine) {}

    /** @param width and height are padded to multiples of 32, as the Segmenter pads a window */
    public static Figures measure(Path modelFile, DevicePolicy policy, InferenceEngine engine, int width, int height,
            int runs) throws InvalidModelException {
        DevicePolicy.Choice choice = engine == InferenceEngine.PYTORCH ? policy.choose()
                : new DevicePolicy.Choice(Device.cpu(), "weights only");
        try (NDManager root = NDManager.newBaseManager(choice.device(), "PyTorch");
                Checkpoint.Loaded loaded = Checkpoint.load(modelFile, root.newSubManager())) {
            float[][] text = loaded.contents().config().variant().usesText() ? loaded.contents().textEmbeddings()
                    : null;
            return measure(loaded.network(), text, policy, engine, choice, root, width, height, runs);
        }
    }

    /** The same for a network in memory (the synthetic bench); text (K, C) or null for the fpn variant. */
    public static Figures measure(SeglightNetwork network, float[][] text, DevicePolicy policy, InferenceEngine engine,
            DevicePolicy.Choice choice, NDManager root, int width, int height, int runs) {
        int hp = (height + 31) / 32 * 32;
        int wp = (width + 31) / 32 * 32;
        try (NetworkRunner runner = runner(network, policy, engine, choice, root)) {
            Random r = new Random(1);
            float[] image = new float[3 * hp * wp];
            for (int i = 0; i < image.length; i++) {
                image[i] = (float) r.nextGaussian();
            }
            double[] full = new double[runs];
            double[] decode = new double[runs];
            for (int i = -3; i < runs; i++) {
                long t0 = System.nanoTime();
                try (NetworkRunner.Features f = runner.encode(image, hp, wp)) {
                    runner.decode(f, text).logits().close();
                    long t1 = System.nanoTime();
                    runner.decode(f, text).logits().close();
                    long t2 = System.nanoTime();
                    if (i >= 0) {
                        full[i] = (t1 - t0) / 1e6;
                        decode[i] = (t2 - t1) / 1e6;
                    }
                }
            }
            return new Figures(median(full), median(decode), runner.describe());
        }
    }

    /**
     * The runner for a network in memory on the engine asked for (PyTorch on the device already chosen), with
     * the Segmenter's fallback to PyTorch when ONNX Runtime cannot take it.
     */
    private static NetworkRunner runner(SeglightNetwork network, DevicePolicy policy, InferenceEngine engine,
            DevicePolicy.Choice choice, NDManager root) {
        String name = "bench";
        if (engine == InferenceEngine.PYTORCH) {
            return new DjlRunner(root, network, choice);
        }
        OrtDevice.Choice device = OrtDevice.choose(policy); // a GPU asked for and missing is an error, not a fallback
        try {
            return new OrtRunner(network.config(), OnnxExport.encoder(network, name), OnnxExport.decoder(network, name),
                    device);
        } catch (RuntimeException e) {
            LOG.warn("ONNX Runtime cannot run {}; falling back to PyTorch: {}", name, e.getMessage());
            DevicePolicy.Choice cpu = new DevicePolicy.Choice(Device.cpu(), "fallback, because ONNX Runtime could not"
                    + " run this model: " + e.getMessage());
            return new DjlRunner(root, network, cpu);
        }
    }

    /** The median of the values (the mean of the middle two for an even count). */
    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private NetworkTiming() {}
}

package org.seglight.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.seglight.TestSupport;
import org.seglight.model.ModelConfig;
import org.seglight.model.OnnxExport;
import org.seglight.model.ParameterSet;
import org.seglight.model.SeglightNetwork;
import org.seglight.model.Variant;

/**
 * The ONNX graphs Seglight writes against the DJL network they are written from: same weights (every
 * parameter and BatchNorm statistic drawn at random, so no op hides behind an identity initialisation), same
 * inputs, and logits, S₀, S and every unit's attention in both directions agree to 1e-4, for each variant,
 * at two image sizes through one pair of graphs (the dynamic axes), and through the last step to labels.
 */
class OnnxParityTest {

    @ParameterizedTest(name = "{0}, {1} units")
    @CsvSource({"fpn, 0", "denseclip, 0", "convformer, 2", "convformer-dot, 2", "convformer, 1", "convformer, 4"})
    void ortMatchesDjlOnEveryOutput(String variantName, int units) {
        Variant variant = Variant.fromId(variantName);
        ModelConfig tiny = TestSupport.tiny(variant);
        ModelConfig config = new ModelConfig(variant, tiny.embedDim(), units, tiny.bridgeHeads(), tiny.formerHeads(),
                tiny.ffnRatio(), tiny.convExpansion(), tiny.neckChannels(), tiny.headChannels(), tiny.numClasses(),
                tiny.dropout(), tiny.tau(), tiny.auxWeight(), tiny.inputWidth(), tiny.inputHeight(), tiny.normEps(),
                tiny.bnMomentum());
        Engine.getEngine("PyTorch").setRandomSeed(11);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                SeglightNetwork net = new SeglightNetwork(config, root.newSubManager())) {
            randomise(net.parameters(), new Random(5));
            OrtDevice.Choice cpu = OrtDevice.choose(DevicePolicy.CPU);
            DjlRunner djl = new DjlRunner(root, net, new DevicePolicy.Choice(Device.cpu(), "test"));
            try (OrtRunner ort = new OrtRunner(config, OnnxExport.encoder(net, "test"), OnnxExport.decoder(net, "test"),
                    cpu)) {
                // Two sizes through the same graphs: H and W are dynamic axes.
                compare(djl, ort, config, 96, 64, 1);
                compare(djl, ort, config, 64, 160, 2);
            }
        }
    }

    private static void compare(DjlRunner djl, OrtRunner ort, ModelConfig config, int w, int h, long seed) {
        int k = config.numClasses();
        Random r = new Random(seed);
        float[] image = new float[3 * h * w];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) r.nextGaussian();
        }
        float[][] text = null;
        if (config.variant().usesText()) {
            text = new float[k][config.embedDim()];
            for (float[] row : text) {
                for (int c = 0; c < row.length; c++) {
                    row[c] = (float) r.nextGaussian() * 0.2f;
                }
            }
        }
        try (NetworkRunner.Features fd = djl.encode(image, h, w);
                NetworkRunner.Features fo = ort.encode(image, h, w)) {
            NetworkRunner.Window a = djl.decode(fd, text);
            NetworkRunner.Window b = ort.decode(fo, text);
            try (NetworkRunner.Logits la = a.logits(); NetworkRunner.Logits lb = b.logits()) {
                float[] ua = upsampled(djl, la, k, w, h);
                float[] ub = upsampled(ort, lb, k, w, h);
                assertClose("upsampled logits", ua, ub);
                assertThat(b.fw()).isEqualTo(a.fw());
                assertThat(b.fh()).isEqualTo(a.fh());
                if (config.variant().usesText()) {
                    assertClose("S0", a.s0(), b.s0());
                    assertClose("S", a.s(), b.s());
                }
                assertThat(b.c2f()).hasSameSizeAs(a.c2f());
                assertThat(a.c2f()).hasSize(config.variant().hasUnits() ? config.units() : 0);
                for (int u = 0; u < a.c2f().size(); u++) {
                    assertClose("c2f of unit " + (u + 1), a.c2f().get(u), b.c2f().get(u));
                    assertClose("f2c of unit " + (u + 1), a.f2cPerToken().get(u), b.f2cPerToken().get(u));
                }
                // The last step: labels and probabilities of a crop agree too.
                NetworkRunner.Finished fa = djl.finish(la, w - 5, h - 7, 1);
                NetworkRunner.Finished fb = ort.finish(lb, w - 5, h - 7, 1);
                assertClose("probabilities", fa.probabilities(), fb.probabilities());
                int same = 0;
                for (int i = 0; i < fa.labels().length; i++) {
                    same += fa.labels()[i] == fb.labels()[i] ? 1 : 0;
                }
                assertThat(fb.labels()).hasSize((w - 5) * (h - 7));
                assertThat(same).as("labels that agree").isGreaterThanOrEqualTo(fa.labels().length - 2);
                // Sliding windows: two overlapping windows blended in a band over a taller image.
                int bh = h + 6;
                NetworkRunner.Finished sa;
                NetworkRunner.Finished sb;
                try (Band banda = new Band(k, bh + 3, w); Band bandb = new Band(k, bh + 3, w)) {
                    for (int y : new int[] {0, 6}) {
                        banda.add(la.upsampled(w, h), 0, y, w, h, Band.tent(w), Band.tent(h));
                        bandb.add(lb.upsampled(w, h), 0, y, w, h, Band.tent(w), Band.tent(h));
                    }
                    assertClose("blended windows", floats(banda.values()), floats(bandb.values()));
                    sa = djl.finish(banda, 0, bh, 1);
                    sb = ort.finish(bandb, 0, bh, 1);
                    // A huge image's probabilities come at a reduced resolution: block averages, partial blocks
                    // at the edges included.
                    NetworkRunner.Finished ra = djl.finish(banda, 0, bh, 3);
                    NetworkRunner.Finished rb = ort.finish(bandb, 0, bh, 3);
                    assertThat(rb.probabilities()).hasSize(k * ((bh + 2) / 3) * ((w + 2) / 3));
                    assertClose("reduced probabilities", ra.probabilities(), rb.probabilities());
                    assertClose("reduced is the block average", ra.probabilities(),
                            blockAverage(sa.probabilities(), k, bh, w, 3));
                    // Rows finished in two chunks are the rows finished at once.
                    NetworkRunner.Finished first = ort.finish(bandb, 0, 6, 3);
                    NetworkRunner.Finished rest = ort.finish(bandb, 6, bh, 3);
                    byte[] joined = java.util.Arrays.copyOf(first.labels(), bh * w);
                    System.arraycopy(rest.labels(), 0, joined, 6 * w, (bh - 6) * w);
                    assertThat(joined).isEqualTo(rb.labels());
                    assertThat(djl.finish(banda, 6, bh, 3).labels()).hasSize((bh - 6) * w);
                }
                assertClose("reduced probabilities of one window", djl.finish(la, w, h, 3).probabilities(),
                        ort.finish(lb, w, h, 3).probabilities());
                assertClose("blended probabilities", sa.probabilities(), sb.probabilities());
                assertThat(sb.labels()).hasSize(w * bh);
            }
        }
    }

    private static float[] floats(java.nio.FloatBuffer b) {
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    /** (K, h, w) averaged over s×s blocks, partial blocks over the pixels they hold. */
    private static float[] blockAverage(float[] v, int k, int h, int w, int s) {
        int ph = (h + s - 1) / s;
        int pw = (w + s - 1) / s;
        float[] out = new float[k * ph * pw];
        for (int c = 0; c < k; c++) {
            for (int by = 0; by < ph; by++) {
                for (int bx = 0; bx < pw; bx++) {
                    double sum = 0;
                    int n = 0;
                    for (int y = by * s; y < Math.min(h, by * s + s); y++) {
                        for (int x = bx * s; x < Math.min(w, bx * s + s); x++) {
                            sum += v[(c * h + y) * w + x];
                            n++;
                        }
                    }
                    out[(c * ph + by) * pw + bx] = (float) (sum / n);
                }
            }
        }
        return out;
    }

    /** The ×4 upsampled logits as the sliding-window path blends them. */
    private static float[] upsampled(NetworkRunner runner, NetworkRunner.Logits logits, int k, int w, int h) {
        return floats(logits.upsampled(w, h));
    }

    /** Agreement to 1e-4, relative to the values' scale where that is above 1. */
    private static void assertClose(String what, float[] a, float[] b) {
        assertThat(b).as(what).hasSameSizeAs(a);
        float scale = 1e-9f;
        for (float v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        assertThat(worst / Math.max(1, scale)).as(what + ": largest difference (values up to " + scale + ")")
                .isLessThanOrEqualTo(1e-4);
        assertThat(scale).as(what + " is not all zero").isGreaterThan(1e-6f);
    }

    /** Every tensor random, BatchNorm variances positive, so no op is an identity. */
    private static void randomise(ParameterSet params, Random r) {
        for (ParameterSet.Entry e : params.entries().values()) {
            NDArray a = e.array();
            float[] v = new float[(int) a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = switch (e.role()) {
                    case RUNNING_VAR -> 0.5f + r.nextFloat();
                    case BN_WEIGHT, LN_WEIGHT -> 0.8f + 0.4f * r.nextFloat();
                    default -> (float) r.nextGaussian() * 0.1f;
                };
            }
            a.set(v);
        }
    }
}

package org.seglight.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.TestSupport;
import org.seglight.io.Safetensors;
import org.seglight.model.Checkpoint;
import org.seglight.model.InvalidModelException;
import org.seglight.model.ModelCard;
import org.seglight.model.ModelConfig;
import org.seglight.model.SeglightNetwork;
import org.seglight.model.Variant;
import org.seglight.model.Weights;
import org.seglight.task.CancelledException;
import org.seglight.task.Progress;
import org.seglight.text.ClassPrompt;
import org.seglight.text.PromptSet;

/** Learning a class table from a few labelled images, on a tiny network and toy images. */
class LearnerTest {

    private static final int C = 32; // TestSupport.tiny's text width

    @Test
    void existingClassesKeepTheirWeightsBitForBitWhenAClassIsAdded() {
        Checkpoint.Contents base = base(List.of("sky", "car", "road"));
        // The user's table: road and sky (reordered), plus a new class.
        PromptSet classes = prompts("road", "sky", "traffic cone");
        float[][] emb = {base.textEmbeddings()[2], base.textEmbeddings()[0], randomRow(7)};
        Learner.Result r = new Learner(Learner.Options.of(0, 0)).learn(base, "base", classes, emb,
                data(toyPairs(1, 0, 3)), "toy", Learner.Listener.NONE, Progress.NONE);
        assertThat(r.iterations()).isZero();
        Map<String, Safetensors.Tensor> before = base.weights();
        Map<String, Safetensors.Tensor> after = r.model().weights();
        int ch = (int) before.get("head.cls.weight").shape()[1];
        float[] oldCls = before.get("head.cls.weight").data();
        float[] newCls = after.get("head.cls.weight").data();
        assertThat(row(newCls, 0, ch)).containsExactly(row(oldCls, 2, ch)); // road
        assertThat(row(newCls, 1, ch)).containsExactly(row(oldCls, 0, ch)); // sky
        assertThat(after.get("head.cls.bias").data()[0]).isEqualTo(before.get("head.cls.bias").data()[2]);
        assertThat(after.get("head.cls.bias").data()[1]).isEqualTo(before.get("head.cls.bias").data()[0]);
        long[] latOld = before.get("neck.lateral.3.weight").shape();
        long[] latNew = after.get("neck.lateral.3.weight").shape();
        int features = (int) latOld[1] - 3;
        for (int o = 0; o < latNew[0]; o++) {
            assertThat(after.get("neck.lateral.3.weight").data()[o * (int) latNew[1] + features + 1])
                    .as("sky's S column").isEqualTo(before.get("neck.lateral.3.weight").data()
                            [o * (int) latOld[1] + features]);
        }
        for (String name : before.keySet()) {
            if (!name.equals("head.cls.weight") && !name.equals("head.cls.bias")
                    && !name.equals("neck.lateral.3.weight")) {
                assertThat(after.get(name).data()).as(name).containsExactly(before.get(name).data());
            }
        }
        assertThat(r.model().textEmbeddings()[0]).containsExactly(base.textEmbeddings()[2]);
        assertThat(r.carried()).contains("2 classes keep their weights", "1 start from");
    }

    @Test
    void learningAFewIterationsOnAToyDatasetLowersTheLoss() {
        // The plain FPN variant, as TrainerTest: the fusion variants leave their plateau later at this size.
        Checkpoint.Contents base = base(List.of("red", "blue"), Variant.FPN);
        List<Learner.Point> points = new ArrayList<>();
        Learner.Options options = new Learner.Options(60, 0, false, 4, 64, 1e-2, 1, 32);
        Learner.Result r = new Learner(options).learn(base, "base", prompts("red", "blue"), base.textEmbeddings(),
                new Learner.Data(toyPairs(4, 0, 2), toyPairs(2, 100, 2)), "toy", points::add, Progress.NONE);
        assertThat(r.iterations()).isEqualTo(60);
        assertThat(points).hasSize(60);
        double first = points.subList(0, 5).stream().mapToDouble(Learner.Point::loss).average().orElseThrow();
        double last = points.get(points.size() - 1).loss();
        assertThat(last).isLessThan(first * 0.85);
        assertThat(r.heldOutMiou()).isBetween(0.0, 1.0);
        assertThat(points.stream().filter(p -> !Double.isNaN(p.heldOutMiou())).count()).isBetween(5L, 12L);
        // The encoder was frozen: its tensors are the base's, bit for bit.
        for (var e : base.weights().entrySet()) {
            if (e.getKey().startsWith("encoder.")) {
                assertThat(r.model().weights().get(e.getKey()).data()).as(e.getKey())
                        .containsExactly(e.getValue().data());
            }
        }
        assertThat(r.model().card().notes()).contains("60 iterations", "frozen", "red, blue");
    }

    /** The app learns on a lane thread of its own, where PyTorch starts with grad mode on. */
    @Test
    void learningRunsOnAFreshThread() throws Exception {
        Checkpoint.Contents base = base(List.of("red", "blue"));
        java.util.concurrent.atomic.AtomicReference<Object> out = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                out.set(new Learner(new Learner.Options(2, 0, false, 2, 64, 1e-3, 1, 8)).learn(base, "base",
                        prompts("red", "blue"), base.textEmbeddings(), data(toyPairs(2, 0, 2)), "toy",
                        Learner.Listener.NONE, Progress.NONE));
            } catch (Throwable e) {
                out.set(e);
            }
        }, "fresh-learning-thread");
        t.start();
        t.join(120_000);
        assertThat(out.get()).isInstanceOf(Learner.Result.class);
        assertThat(((Learner.Result) out.get()).iterations()).isEqualTo(2);
    }

    @Test
    void theWholeNetworkOptionAlsoTrainsTheEncoder() {
        Checkpoint.Contents base = base(List.of("red", "blue"));
        Learner.Options options = new Learner.Options(3, 0, true, 2, 64, 1e-3, 1, 32);
        Learner.Result r = new Learner(options).learn(base, "base", prompts("red", "blue"), base.textEmbeddings(),
                data(toyPairs(2, 0, 2)), "toy", Learner.Listener.NONE, Progress.NONE);
        float[] before = base.weights().get("encoder.features.0.conv.weight").data();
        assertThat(r.model().weights().get("encoder.features.0.conv.weight").data()).isNotEqualTo(before);
        assertThat(r.model().card().notes()).contains("whole network");
    }

    @Test
    void aCancelledRunReturnsTheBestModelSoFar() {
        Checkpoint.Contents base = base(List.of("red", "blue"));
        int[] calls = {0};
        Progress cancelAfter = new Progress() {
            @Override
            public void update(String message, long done, long total) {}

            @Override
            public boolean isCancelled() {
                return ++calls[0] > 40;
            }
        };
        Learner.Result r = new Learner(new Learner.Options(1000, 0, false, 2, 64, 1e-3, 1, 16)).learn(base, "base",
                prompts("red", "blue"), base.textEmbeddings(), new Learner.Data(toyPairs(2, 0, 2), toyPairs(1, 9, 2)),
                "toy", Learner.Listener.NONE, cancelAfter);
        assertThat(r.cancelled()).isTrue();
        assertThat(r.iterations()).isBetween(1L, 40L);
        assertThat(r.heldOutMiou()).isNotNaN();
        assertThat(r.model().weights()).containsKey("head.cls.weight");
    }

    @Test
    void aBaseWithoutDecoderStartsTheDecoderAfreshAndCannotSegmentByItself(@TempDir Path dir) throws Exception {
        Checkpoint.Contents full = base(List.of("object"));
        Map<String, Safetensors.Tensor> encoderOnly = new java.util.LinkedHashMap<>(full.weights());
        encoderOnly.keySet().removeIf(n -> !n.startsWith("encoder."));
        Checkpoint.Contents base = new Checkpoint.Contents(full.config(), encoderOnly, full.prompts(),
                full.textEncoderId(), full.textEmbeddings(), full.card());
        assertThat(base.isLearningBase()).isTrue();
        Path file = dir.resolve("base.seglight");
        Checkpoint.save(file, base);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            assertThatThrownBy(() -> Checkpoint.load(file, m.newSubManager()))
                    .isInstanceOf(InvalidModelException.class).hasMessageContaining("base for learning");
        }
        Learner.Result r = new Learner(Learner.Options.of(2, 0)).learn(Checkpoint.read(file), "base",
                prompts("soil", "crop"), new float[][] {randomRow(1), randomRow(2)}, data(toyPairs(1, 0, 2)), "toy",
                Learner.Listener.NONE, Progress.NONE);
        assertThat(r.carried()).contains("decoder and all 2 classes start afresh");
        assertThat(r.model().isLearningBase()).isFalse();
        assertThat(r.model().config().numClasses()).isEqualTo(2);
    }

    @Test
    void theBaseIsTheDefaultModelOnlyWhenItHasEveryClass(@TempDir Path dir) throws Exception {
        Path def = dir.resolve("default.seglight");
        Checkpoint.save(def, base(List.of("Sky", "Road", "Car")));
        Path imagenet = dir.resolve("imagenet-base.seglight");
        Files.copy(def, imagenet);
        assertThat(Checkpoint.readPrompts(def).names()).isEqualTo(Checkpoint.read(def).prompts().names());
        assertThat(LearnBase.choose(List.of("road", "car"), def, imagenet).model()).isEqualTo(def);
        LearnBase.Choice c = LearnBase.choose(List.of("road", "weed"), def, imagenet);
        assertThat(c.model()).isEqualTo(imagenet);
        assertThat(c.reason()).contains("1 of the 2 classes (weed) are new");
        assertThat(LearnBase.choose(List.of("soil"), def, null).model()).isEqualTo(def);
        assertThat(LearnBase.choose(List.of("soil"), null, imagenet).reason()).contains("none of the 1 classes");
        assertThatThrownBy(() -> LearnBase.choose(List.of("soil"), null, null))
                .isInstanceOf(InvalidModelException.class);
    }

    @Test
    void learningWithNothingLabelledIsRefused() {
        assertThatThrownBy(() -> new Learner.Data(List.of(), List.of()))
                .hasMessageContaining("no labelled images");
        assertThatThrownBy(() -> new Learner.Options(-1, 0, false, 8, 256, 1e-3, 1, 8))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CancelledException.class).isNotNull();
    }

    // --- fixtures ---

    /** A trained-looking tiny model: random weights and random text rows, one per name. */
    private static Checkpoint.Contents base(List<String> names) {
        return base(names, Variant.CONVFORMER);
    }

    private static Checkpoint.Contents base(List<String> names, Variant variant) {
        ModelConfig config = TestSupport.tiny(variant).withNumClasses(names.size());
        Engine.getEngine("PyTorch").setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SeglightNetwork net = new SeglightNetwork(config, m.newSubManager())) {
            // A random encoder saturates its ReLU6s under identity BatchNorm statistics; a trained one would not.
            // Running it in training mode on toy images gives it statistics, as training would.
            for (SegmentationDataset.Pair p : toyPairs(12, 50, 2)) {
                try (NDManager call = m.newSubManager()) {
                    float[] x = org.seglight.inference.ImageTensors.normalize(p.rgb(), p.width(), 0, 0, p.width(),
                            p.height(), 96, 96);
                    net.backbone(call.create(x, new ai.djl.ndarray.types.Shape(1, 3, 96, 96)), true);
                }
            }
            float[][] emb = new float[variant.usesText() ? names.size() : 0][];
            for (int k = 0; k < emb.length; k++) {
                emb[k] = randomRow(100 + k);
            }
            return new Checkpoint.Contents(config, Weights.export(net.parameters()), prompts(names.toArray(String[]::new)),
                    "test-encoder", emb, ModelCard.untrained("tiny", false));
        }
    }

    private static PromptSet prompts(String... names) {
        List<ClassPrompt> out = new ArrayList<>();
        for (String n : names) {
            out.add(new ClassPrompt(n, ClassPrompt.DEFAULT_TEMPLATE, -1));
        }
        return new PromptSet(out);
    }

    private static float[] randomRow(long seed) {
        Random r = new Random(seed);
        float[] row = new float[C];
        for (int i = 0; i < C; i++) {
            row[i] = (float) r.nextGaussian();
        }
        return row;
    }

    private static Learner.Data data(List<SegmentationDataset.Pair> train) {
        return new Learner.Data(train, List.of());
    }

    /** 96×80 images: a red left part (class 0) and a blue right part (class 1) split at a random column. */
    private static List<SegmentationDataset.Pair> toyPairs(int n, long seed, int classes) {
        List<SegmentationDataset.Pair> out = new ArrayList<>();
        Random r = new Random(seed);
        int w = 96;
        int h = 80;
        for (int i = 0; i < n; i++) {
            int split = 24 + r.nextInt(48);
            int[] rgb = new int[w * h];
            byte[] labels = new byte[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean left = x < split;
                    int noise = r.nextInt(30);
                    rgb[y * w + x] = left ? (200 + noise) << 16 | noise << 8 | noise : noise << 16 | noise << 8 | 200
                            + noise;
                    labels[y * w + x] = (byte) (left ? 0 : Math.min(1, classes - 1));
                }
            }
            out.add(new SegmentationDataset.Pair("toy" + (seed + i), w, h, rgb, labels));
        }
        return out;
    }

    private static float[] row(float[] a, int r, int len) {
        return java.util.Arrays.copyOfRange(a, r * len, (r + 1) * len);
    }
}

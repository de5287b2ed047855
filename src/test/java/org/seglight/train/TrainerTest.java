package org.seglight.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.io.MaskWriter;
import org.seglight.io.Safetensors;
import org.seglight.mask.LabelMask;
import org.seglight.model.Checkpoint;
import org.seglight.model.InvalidModelException;
import org.seglight.task.Progress;

/** Training on a tiny synthetic dataset: the loss falls, resume is exact, broken pairs are named. */
class TrainerTest {

    @TempDir
    static Path dir;

    static Path data;

    /** Images whose left half is dark and right half bright, labelled 0 and 1, with a void strip. */
    @BeforeAll
    static void makeData() throws Exception {
        data = dir.resolve("toy");
        Files.createDirectories(data.resolve("images"));
        Files.createDirectories(data.resolve("labels"));
        Files.writeString(data.resolve("classes.csv"), "index,name\n0,shadow\n1,light\n2,void\n");
        for (int i = 0; i < 4; i++) {
            BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
            byte[] labels = new byte[64 * 48];
            int split = 24 + 4 * i;
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 64; x++) {
                    boolean light = x >= split;
                    int v = light ? 200 + (x * 7 + y * 3) % 40 : 20 + (x * 5 + y) % 30;
                    img.setRGB(x, y, v << 16 | (v / 2) << 8 | (255 - v));
                    labels[y * 64 + x] = (byte) (y < 2 ? 2 : light ? 1 : 0);
                }
            }
            ImageIO.write(img, "png", data.resolve("images/img" + i + ".png").toFile());
            MaskWriter.writePng(MaskWriter.toIndexed(new LabelMask(64, 48, labels), new int[] {0, 0xffffff}),
                    data.resolve("labels/img" + i + ".png"));
        }
    }

    private static TrainConfig tiny(int iterations) {
        TrainConfig c = TrainConfig.fromJson("""
                {"preset":"lite","variant":"convformer","units":1,"neckChannels":16,"headChannels":16,
                 "convExpansion":1,"crop":64,"batch":2,"lr":1e-2,"warmupIters":2,"scaleLong":64,"scaleShort":48,
                 "ratioMin":0.9,"ratioMax":1.1,"checkpointEvery":2,"logEvery":1,"trainSplit":null,"valSplit":null,
                 "seed":5}
                """);
        c.iterations = iterations;
        c.trainSplit = null;
        return c;
    }

    @Test
    void theLossFallsOnATinyOverfitSet() throws Exception {
        Path out = dir.resolve("overfit");
        // The plain FPN variant: the same data, loss, optimiser and schedule code, and the quickest to fit
        // from random weights (the fusion variants leave their plateau later at this size).
        TrainConfig cfg = tiny(60);
        cfg.variant = "fpn";
        Trainer.Summary s = new Trainer(cfg, dir, out).run(data, null, null, Progress.NONE);
        List<String> log = Files.readAllLines(out.resolve("train_log.jsonl"));
        double first = 0;
        double last = 0;
        for (int i = 0; i < 5; i++) {
            first += loss(log.get(i));
            last += loss(log.get(55 + i));
        }
        assertThat(last).isLessThan(first * 0.75);
        assertThat(s.iterations()).isEqualTo(60);
        assertThat(Checkpoint.read(s.model()).card().iterations()).isEqualTo(60);
    }

    /** The output of an uninterrupted four-iteration run, trained once for the tests that compare with it. */
    private static Path straightRun;

    private static synchronized Path straight() throws Exception {
        if (straightRun == null) {
            Path out = dir.resolve("straight");
            new Trainer(tiny(4), dir, out).run(data, null, null, Progress.NONE);
            straightRun = out;
        }
        return straightRun;
    }

    private static void assertSameWeights(Path expected, Path actual) throws Exception {
        Map<String, Safetensors.Tensor> a = Checkpoint.read(expected).weights();
        Map<String, Safetensors.Tensor> b = Checkpoint.read(actual).weights();
        assertThat(b.keySet()).isEqualTo(a.keySet());
        for (String name : a.keySet()) {
            // isEqualTo is Arrays.equals; containsExactly would diff the arrays in O(n^2), seconds per tensor
            assertThat(b.get(name).data()).as(name).isEqualTo(a.get(name).data());
        }
    }

    @Test
    void resumeGivesTheSameWeightsAsAnUninterruptedRun() throws Exception {
        Path firstHalf = dir.resolve("half");
        TrainConfig two = tiny(4);
        Trainer t1 = new Trainer(two, dir, firstHalf);
        // Cancel after two iterations, as a user would with Ctrl-C.
        Trainer.Summary partial = t1.run(data, null, null, new Progress() {
            int seen;

            @Override
            public void update(String message, long done, long total) {
                if (message.startsWith("iter ")) {
                    seen = (int) done;
                }
            }

            @Override
            public boolean isCancelled() {
                return seen >= 2;
            }
        });
        assertThat(partial.cancelled()).isTrue();
        assertThat(partial.iterations()).isEqualTo(2);
        Path resumed = dir.resolve("resumed");
        new Trainer(tiny(4), dir, resumed).run(data, t1.lastPath(), null, Progress.NONE);
        assertSameWeights(straight().resolve("model.seglight"), resumed.resolve("model.seglight"));
    }

    @Test
    void aFailedEvaluationLeavesACheckpointThatResumesExactly() throws Exception {
        Files.writeString(data.resolve("val.txt"), "images/img0.png\tlabels/img0.png\n");
        TrainConfig cfg = tiny(4);
        cfg.valSplit = "val.txt";
        cfg.evalEvery = 3; // between the checkpoints of iterations 2 and 4
        Trainer failing = new Trainer(cfg, dir, dir.resolve("failed eval"), (model, val, progress) -> {
            throw new IOException("the validation disk went away");
        });
        assertThatThrownBy(() -> failing.run(data, null, null, Progress.NONE))
                .hasMessageContaining("the validation disk went away");
        Path last = failing.lastPath();
        assertThat(Checkpoint.read(last).card().iterations()).isEqualTo(3);
        assertThat(iterationOfState(last)).isEqualTo(3);

        Path resumed = dir.resolve("after failed eval");
        new Trainer(tiny(4), dir, resumed).run(data, last, null, Progress.NONE);
        assertSameWeights(straight().resolve("model.seglight"), resumed.resolve("model.seglight"));

        // A pair from two iterations (left by an earlier version) is refused, not resumed inexactly.
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        Files.copy(last, mixed.resolve("last.seglight"));
        Files.copy(Trainer.statePath(straight().resolve("last.seglight")), Trainer.statePath(mixed.resolve(
                "last.seglight")));
        assertThatThrownBy(() -> new Trainer(tiny(4), dir, dir.resolve("mixed out")).run(data,
                mixed.resolve("last.seglight"), null, Progress.NONE)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("iteration 3").hasMessageContaining("iteration 4")
                .hasMessageContaining("--init");
    }

    private static long iterationOfState(Path checkpoint) throws Exception {
        return Long.parseLong(Safetensors.read(Trainer.statePath(checkpoint)).metadata().get("iteration"));
    }

    @Test
    void initKeepsEveryTensorThatFitsAndEachClassItNamesAgainWhereverItStands() throws Exception {
        Path base = dir.resolve("base");
        Trainer.Summary first = new Trainer(tiny(2), dir, base).run(data, null, null, Progress.NONE);
        Map<String, Safetensors.Tensor> before = Checkpoint.read(first.model()).weights();
        // The same images with a third class named: the text projection and fusion carry over, as does the
        // whole encoder; the run starts with a fresh optimizer at iteration 0.
        Path more = dir.resolve("more");
        Files.createDirectories(more);
        Files.walk(data).filter(Files::isRegularFile).forEach(f -> {
            try {
                Path to = more.resolve(data.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // Reordered and with a new class: light and shadow must keep their classifier rows, by name.
        Files.writeString(more.resolve("classes.csv"), "index,name\n0,light\n1,shadow\n2,glare\n3,void\n");
        TrainConfig cfg = tiny(1);
        cfg.lr = 0;
        cfg.minLr = 0; // no step size: the weights after one iteration are the starting weights
        cfg.weightDecay = 0;
        Trainer.Summary tuned = new Trainer(cfg, dir, dir.resolve("tuned")).run(more, null, first.model(),
                Progress.NONE);
        Checkpoint.Contents after = Checkpoint.read(tuned.model());
        assertThat(after.prompts().size()).isEqualTo(3);
        assertThat(after.card().iterations()).isEqualTo(1);
        assertThat(after.card().valInTraining()).isFalse();
        assertThat(after.card().data()).as("the card names the model it started from and that model's training")
                .contains("starting from base (", Checkpoint.read(first.model()).card().data() + ", 2 iterations");
        String encoderConv = "encoder.features.0.conv.weight";
        assertThat(after.weights().get(encoderConv).data()).containsExactly(before.get(encoderConv).data());
        float[] oldCls = before.get("head.cls.weight").data();
        float[] newCls = after.weights().get("head.cls.weight").data();
        int ch = (int) before.get("head.cls.weight").shape()[1];
        assertThat(java.util.Arrays.copyOfRange(newCls, 0, ch)).as("light, now first, keeps its row")
                .containsExactly(java.util.Arrays.copyOfRange(oldCls, ch, 2 * ch));
        assertThat(java.util.Arrays.copyOfRange(newCls, ch, 2 * ch)).as("shadow, now second, keeps its row")
                .containsExactly(java.util.Arrays.copyOfRange(oldCls, 0, ch));
        assertThat(before.get("head.cls.bias").data()[0]).isEqualTo(after.weights().get("head.cls.bias").data()[1]);
        assertThatThrownBy(() -> new Trainer(tiny(1), dir, dir.resolve("both")).run(data, first.model(),
                first.model(), Progress.NONE)).hasMessageContaining("give one");
    }

    @Test
    void anExportIsATrainingSetAsItIs() throws Exception {
        Path export = dir.resolve("my export");
        List<Path> images;
        try (var s = Files.list(data.resolve("images"))) {
            images = s.sorted().toList();
        }
        var classes = org.seglight.text.PromptSet.of("shadow", "light");
        SegmentationDataset toy = SegmentationDataset.open(data, null, null, 2, null); // void 2 read as 255
        var report = org.seglight.io.AnnotationExporter.export(images, image -> {
            var pair = toy.load(images.indexOf(image));
            return new LabelMask(pair.width(), pair.height(), pair.labels());
        }, classes, export,
                java.util.EnumSet.of(org.seglight.io.AnnotationExporter.Format.PNG), Progress.NONE);
        assertThat(report.exported()).isEqualTo(4);
        SegmentationDataset ds = SegmentationDataset.open(export, "images.txt", null, -1, null);
        assertThat(ds.checked(Progress.NONE).samples()).hasSize(4);
        assertThat(ds.classes().names()).containsExactly("shadow", "light");
        assertThat(ds.load(1).labels()).containsExactly(toy.load(1).labels());
    }

    @Test
    void aBrokenPairIsReportedByName() throws Exception {
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken.resolve("images"));
        Files.createDirectories(broken.resolve("labels"));
        Files.copy(data.resolve("classes.csv"), broken.resolve("classes.csv"));
        Files.copy(data.resolve("images/img0.png"), broken.resolve("images/good.png"));
        Files.copy(data.resolve("labels/img0.png"), broken.resolve("labels/good.png"));
        Files.copy(data.resolve("images/img1.png"), broken.resolve("images/nolabel.png"));
        Files.copy(data.resolve("images/img2.png"), broken.resolve("images/small.png"));
        MaskWriter.writePng(MaskWriter.toIndexed(new LabelMask(10, 10, new byte[100]), new int[] {0}),
                broken.resolve("labels/small.png"));
        Files.copy(data.resolve("images/img3.png"), broken.resolve("images/odd.png"));
        byte[] odd = new byte[64 * 48];
        odd[5] = 7;
        MaskWriter.writePng(MaskWriter.toIndexed(new LabelMask(64, 48, odd), new int[] {0}),
                broken.resolve("labels/odd.png"));
        SegmentationDataset ds = SegmentationDataset.open(broken, null, null, -1, null);
        assertThat(ds.voidIndex()).isEqualTo(2);
        assertThatThrownBy(() -> ds.checked(Progress.NONE)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("nolabel: label missing")
                .hasMessageContaining("small: image is 64x48 but its label is 10x10")
                .hasMessageContaining("odd: label value 7 is not a class")
                .hasMessageNotContaining("good");
    }

    /** The toy set plus a truncated JPEG (the corpus's, 640x480) with a full label. */
    private static Path withDamaged(String name) throws Exception {
        Path set = dir.resolve(name);
        Files.createDirectories(set.resolve("images"));
        Files.createDirectories(set.resolve("labels"));
        Files.copy(data.resolve("classes.csv"), set.resolve("classes.csv"));
        for (int i = 0; i < 2; i++) {
            Files.copy(data.resolve("images/img" + i + ".png"), set.resolve("images/img" + i + ".png"));
            Files.copy(data.resolve("labels/img" + i + ".png"), set.resolve("labels/img" + i + ".png"));
        }
        org.seglight.TestSupport.corpusFile("truncated.jpg", set.resolve("images/cut.jpg"));
        MaskWriter.writePng(MaskWriter.toIndexed(new LabelMask(640, 480, new byte[640 * 480]), new int[] {0}),
                set.resolve("labels/cut.png"));
        return set;
    }

    @Test
    void aDamagedImageIsLeftOutOfTheDatasetAndNamedUnlessIncluded() throws Exception {
        SegmentationDataset ds = SegmentationDataset.open(withDamaged("damaged"), null, null, -1, null);
        assertThat(ds.samples()).extracting(SegmentationDataset.Sample::name).containsExactly("cut", "img0", "img1");
        assertThatThrownBy(() -> ds.load(0)).isInstanceOf(org.seglight.io.DamagedImageException.class)
                .hasMessageContaining("cut.jpg is truncated");

        SegmentationDataset checked = ds.checked(Progress.NONE);
        assertThat(checked.samples()).extracting(SegmentationDataset.Sample::name).containsExactly("img0", "img1");
        assertThat(checked.damaged()).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("cut");
            assertThat(d.damage()).contains("cut.jpg is truncated", "only part of it could be read");
        });

        SegmentationDataset all = ds.includingDamaged().checked(Progress.NONE);
        assertThat(all.samples()).hasSize(3);
        assertThat(all.damaged()).hasSize(1);
        SegmentationDataset.Pair cut = all.load(0);
        assertThat(cut.width()).isEqualTo(640);
        assertThat(ds.decode(0).damage()).contains("truncated");
        assertThat(ds.decode(1).damage()).isNull();
    }

    @Test
    void trainingLeavesADamagedImageOutAndSaysSoInTheLogTheSummaryAndTheCard() throws Exception {
        Path set = withDamaged("damaged-run");
        Path out = dir.resolve("damaged-out");
        Trainer.Summary s = new Trainer(tiny(1), dir, out).run(set, null, null, Progress.NONE);
        assertThat(s.damaged()).extracting(SegmentationDataset.Damaged::name).containsExactly("cut");
        assertThat(s.damagedIncluded()).isFalse();
        assertThat(Files.readString(out.resolve("train_log.jsonl"))).contains("damaged_left_out", "cut.jpg is truncated");
        assertThat(Checkpoint.read(s.model()).card().data()).contains("2 image/label pairs",
                "1 damaged image(s) left out: cut");

        Trainer.Summary included = new Trainer(tiny(1), dir, dir.resolve("damaged-in")).run(set, null, null, true,
                Progress.NONE);
        assertThat(included.damagedIncluded()).isTrue();
        assertThat(Checkpoint.read(included.model()).card().data()).contains("3 image/label pairs",
                "1 of them damaged, used as read: cut");

        Path only = dir.resolve("only-damaged");
        Files.createDirectories(only.resolve("images"));
        Files.createDirectories(only.resolve("labels"));
        Files.copy(set.resolve("classes.csv"), only.resolve("classes.csv"));
        Files.copy(set.resolve("images/cut.jpg"), only.resolve("images/cut.jpg"));
        Files.copy(set.resolve("labels/cut.png"), only.resolve("labels/cut.png"));
        assertThatThrownBy(() -> new Trainer(tiny(1), dir, dir.resolve("only-out")).run(only, null, null,
                Progress.NONE)).isInstanceOf(DatasetException.class).hasMessageContaining("damaged")
                .hasMessageContaining("nothing to train on");
    }

    /**
     * "a.txt+b.txt" trains on both splits; the card then says that the validation split was part of the
     * training data, and names the class weights of a class-balanced loss.
     */
    @Test
    void splitsJoinWithAPlusAndTheCardSaysWhenValWasTrainedOn() throws Exception {
        Files.writeString(data.resolve("a.txt"), "images/img0.png labels/img0.png\nimages/img1.png labels/img1.png\n");
        Files.writeString(data.resolve("b.txt"), "images/img2.png labels/img2.png\n");
        assertThat(SegmentationDataset.open(data, "a.txt+b.txt", null, -1, null).samples()).hasSize(3);
        assertThatThrownBy(() -> SegmentationDataset.open(data, "a.txt+", null, -1, null))
                .isInstanceOf(DatasetException.class).hasMessageContaining("empty split");
        TrainConfig c = tiny(1);
        c.trainSplit = "a.txt+b.txt";
        c.valSplit = "b.txt";
        c.classWeights = new double[] {1.0, 2.5};
        Trainer.Summary s = new Trainer(c, dir, dir.resolve("joined")).run(data, null, null, Progress.NONE);
        assertThat(Checkpoint.read(s.model()).card().data()).contains("a.txt+b.txt", "3 image/label pairs");
        assertThat(Checkpoint.read(s.model()).card().notes()).contains("class-weighted cross entropy [1.0, 2.5]",
                "b.txt was part of the training data");
        assertThat(Checkpoint.read(s.model()).card().valInTraining()).isTrue();
        TrainConfig wrong = tiny(1);
        wrong.classWeights = new double[] {1.0, 2.0, 3.0};
        assertThatThrownBy(() -> new Trainer(wrong, dir, dir.resolve("wrong")).run(data, null, null, Progress.NONE))
                .hasMessageContaining("classWeights has 3 weights but the data has 2 classes");
    }

    private static double loss(String jsonLine) {
        return com.google.gson.JsonParser.parseString(jsonLine).getAsJsonObject().get("loss").getAsDouble();
    }
}

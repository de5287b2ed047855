package org.seglight.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.seglight.TestSupport;
import org.seglight.mask.LabelMask;
import org.seglight.model.ModelCard;
import org.seglight.text.PromptSet;
import org.seglight.train.ConfusionMatrix;
import org.seglight.train.SegmentationDataset;

/**
 * The shipped default model on both engines over CamVid val, as `seglight eval` runs it: the masks agree on
 * at least 99.99 % of pixels and the mIoU on both is the same to 0.05 points; the ONNX Runtime figures are the
 * model card's val figures (to 0.05 mIoU points, 0.1 per class), so the card says what `eval` gives.
 */
class EngineAgreementTest {

    @Test
    void onnxRuntimeAndPyTorchGiveTheSameMasksOnCamVidVal() throws Exception {
        Optional<Path> shared = TestSupport.shared();
        Path camvid = shared.map(p -> p.resolve("data/camvid")).orElse(null);
        assumeTrue(camvid != null && Files.isDirectory(camvid), "needs ../shared/data/camvid (CI has it)");
        Optional<Path> model = DefaultModel.locate();
        assumeTrue(model.isPresent(), "needs models/default.seglight");
        SegmentationDataset ds = SegmentationDataset.open(camvid, "val.txt", null, -1, null);
        long same = 0;
        long total = 0;
        ConfusionMatrix ort = new ConfusionMatrix(ds.numClasses());
        ConfusionMatrix djl = new ConfusionMatrix(ds.numClasses());
        java.util.List<String> names;
        try (Segmenter a = Segmenter.open(model.get(), DevicePolicy.CPU, InferenceEngine.ONNX);
                Segmenter b = Segmenter.open(model.get(), DevicePolicy.CPU, InferenceEngine.PYTORCH)) {
            assertThat(a.deviceDescription()).startsWith("ONNX Runtime");
            assertThat(b.deviceDescription()).startsWith("PyTorch");
            PromptSet prompts = a.defaultPrompts();
            names = prompts.names();
            for (int i = 0; i < ds.samples().size(); i++) {
                SegmentationDataset.Pair pair = ds.load(i);
                BufferedImage img = new BufferedImage(pair.width(), pair.height(), BufferedImage.TYPE_INT_RGB);
                img.setRGB(0, 0, pair.width(), pair.height(), pair.rgb(), 0, pair.width());
                LabelMask ma = a.segment(img, prompts, false).mask();
                LabelMask mb = b.segment(img, prompts, false).mask();
                byte[] la = ma.toBytes();
                byte[] lb = mb.toBytes();
                for (int p = 0; p < la.length; p++) {
                    same += la[p] == lb[p] ? 1 : 0;
                }
                total += la.length;
                ort.add(ma, pair.labels());
                djl.add(mb, pair.labels());
            }
        }
        double agreement = (double) same / total;
        System.out.printf("CamVid val, %d images: masks agree on %.5f %% of pixels (%d differ); mIoU ONNX Runtime"
                + " %.3f, PyTorch %.3f%n", ds.samples().size(), 100 * agreement, total - same, 100 * ort.meanIou(),
                100 * djl.meanIou());
        assertThat(agreement).isGreaterThanOrEqualTo(0.9999);
        assertThat(Math.abs(ort.meanIou() - djl.meanIou()) * 100).isLessThanOrEqualTo(0.05);
        // The model card's CamVid val figures (models/README.md, docs/RESULTS.md) are what `eval` gives.
        ModelCard card = org.seglight.model.Checkpoint.read(model.get()).card();
        assertThat(card.metrics()).containsKey("val_miou");
        System.out.printf("Model card: val mIoU %.3f; eval on ONNX Runtime %.3f%n",
                100 * card.metrics().get("val_miou"), 100 * ort.meanIou());
        assertThat(100 * Math.abs(ort.meanIou() - card.metrics().get("val_miou"))).as("mIoU against the card")
                .isLessThanOrEqualTo(0.05);
        double[] perClass = ort.iou();
        for (int c = 0; c < names.size(); c++) {
            String name = names.get(c);
            if (card.perClassIou().containsKey(name)) {
                assertThat(100 * Math.abs(perClass[c] - card.perClassIou().get(name))).as(name)
                        .isLessThanOrEqualTo(0.1);
            }
        }
    }
}

package org.seglight.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.seglight.TestSupport;
import org.seglight.io.ImageLoader;
import org.seglight.io.Safetensors;

/**
 * The encoder with the folded ImageNet weights, plus the dropped features.18 and classifier, must name the
 * check images' classes: proof that the loader maps every conv, BN identity and residual correctly.
 */
class ImageNetEncoderTest {

    @ParameterizedTest
    @CsvSource({"cat.bmp, 285", "grace_hopper.bmp, 652", "parrot.jpg, 88"})
    void classifiesTheCheckImages(String image, int expected) throws Exception {
        assumeTrue(TestSupport.shared().isPresent(), "../shared is not here: ImageNet weights unavailable");
        Path dir = TestSupport.shared().get().resolve("weights/mobilenetv2-imagenet");
        Path weights = dir.resolve("mobilenetv2_imagenet_folded.safetensors");
        Map<String, Safetensors.Tensor> src = Safetensors.read(weights).tensors();
        ModelConfig config = TestSupport.tiny(Variant.FPN);
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SeglightNetwork net = new SeglightNetwork(config, m.newSubManager())) {
            assertThat(Weights.loadImageNetEncoder(net.parameters(), weights, config.normEps())).isEqualTo(51);
            BufferedImage img = ImageLoader.read(dir.resolve("check").resolve(image));
            NDArray x = toTensor(m, img);                                             // (1, 3, H, W)
            x = Ops.resizeBilinear(x, 224, 224);
            float[] mean = {0.485f, 0.456f, 0.406f};
            float[] std = {0.229f, 0.224f, 0.225f};
            x = x.div(255f).sub(m.create(mean).reshape(1, 3, 1, 1)).div(m.create(std).reshape(1, 3, 1, 1));
            NDArray c5 = net.encode(x, false).top();                                  // (1, 320, 7, 7)
            NDArray w18 = tensor(m, src.get("features.18.weight"));
            NDArray b18 = tensor(m, src.get("features.18.bias"));
            NDArray h = Ops.relu6(Ops.conv2d(c5, w18, b18, 1, 0, 1)).reshape(1, 1280, -1).mean(new int[] {2}); // (1, 1280)
            NDArray logits = Ops.linear(h, tensor(m, src.get("classifier.weight")), tensor(m, src.get("classifier.bias")));
            assertThat(logits.argMax(1).getLong()).isEqualTo(expected);
        }
    }

    /** The shipped base for learning holds exactly the ImageNet encoder that ../shared has, and nothing else. */
    @org.junit.jupiter.api.Test
    void theShippedImageNetBaseIsTheImageNetEncoderAlone() throws Exception {
        Path base = Path.of("models", org.seglight.inference.DefaultModel.IMAGENET_BASE);
        Checkpoint.Contents c = Checkpoint.read(base);
        assertThat(c.isLearningBase()).isTrue();
        assertThat(c.weights().keySet()).allMatch(n -> n.startsWith("encoder."));
        assertThat(c.card().licence()).contains("Apache-2.0", "ONNX Model Zoo");
        assumeTrue(TestSupport.shared().isPresent(), "../shared is not here: ImageNet weights unavailable");
        Path weights = TestSupport.shared().get().resolve(
                "weights/mobilenetv2-imagenet/mobilenetv2_imagenet_folded.safetensors");
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SeglightNetwork net = new SeglightNetwork(c.config(), m.newSubManager())) {
            Weights.loadImageNetEncoder(net.parameters(), weights, c.config().normEps());
            Map<String, Safetensors.Tensor> expected = Weights.export(net.parameters());
            assertThat(c.weights()).hasSize((int) expected.keySet().stream().filter(n -> n.startsWith("encoder."))
                    .count());
            c.weights().forEach((name, t) -> assertThat(t.data()).as(name).containsExactly(expected.get(name).data()));
        }
    }

    private static NDArray tensor(NDManager m, Safetensors.Tensor t) {
        return m.create(t.data(), new Shape(t.shape()));
    }

    private static NDArray toTensor(NDManager m, BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] data = new float[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                data[y * w + x] = p >> 16 & 0xff;
                data[w * h + y * w + x] = p >> 8 & 0xff;
                data[2 * w * h + y * w + x] = p & 0xff;
            }
        }
        return m.create(data, new Shape(1, 3, h, w));
    }
}

package org.seglight.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.seglight.TestSupport;

class NetworkTest {

    @Test
    void normalisingAZeroVectorGivesFiniteGradients() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new float[] {0, 0, 0, 3, 4, 0}, new Shape(2, 3)); // a zero row and a 3-4-5 row
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = Ops.l2Normalize(x, 1);
                assertThat(y.toFloatArray()).containsExactly(0, 0, 0, 0.6f, 0.8f, 0);
                gc.backward(y.mul(m.create(new float[] {1, 2, 3, 1, 2, 3}, new Shape(2, 3))).sum());
            }
            for (float g : x.getGradient().toFloatArray()) {
                assertThat(g).isFinite();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void shapesThroughEveryBlock(Variant variant) {
        ModelConfig config = TestSupport.tiny(variant);
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SeglightNetwork net = new SeglightNetwork(config, m.newSubManager())) {
            NDArray image = m.randomNormal(new Shape(2, 3, 64, 96));
            NDArray text = m.randomNormal(new Shape(3, 32));
            EncoderFeatures f = net.encode(image, false);
            assertThat(f.c2().getShape()).isEqualTo(new Shape(2, 24, 16, 24));
            assertThat(f.c3().getShape()).isEqualTo(new Shape(2, 32, 8, 12));
            assertThat(f.c4().getShape()).isEqualTo(new Shape(2, 96, 4, 6));
            assertThat(f.top().getShape()).isEqualTo(variant.usesText() ? new Shape(2, 32, 2, 3) : new Shape(2, 320, 2, 3));
            NetworkOutput out = net.decode(f, variant.usesText() ? text : null, false, true);
            assertThat(out.logits().getShape()).isEqualTo(new Shape(2, 3, 16, 24));
            if (variant.usesText()) {
                assertThat(out.s().getShape()).isEqualTo(new Shape(2, 3, 2, 3));
                assertThat(out.s0().getShape()).isEqualTo(new Shape(2, 3, 2, 3));
                assertThat(out.s().abs().max().getFloat()).isLessThanOrEqualTo(1.0001f);
            } else {
                assertThat(out.s()).isNull();
            }
            assertThat(out.attnC2f()).hasSize(config.units());
            for (int u = 0; u < config.units(); u++) {
                assertThat(out.attnC2f().get(u).getShape()).isEqualTo(new Shape(2, 2, 3, 6));
                assertThat(out.attnF2c().get(u).getShape()).isEqualTo(new Shape(2, 2, 6, 3));
            }
        }
    }

    @Test
    void attentionIsASoftmaxOverPixelsAndOverClasses() {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SeglightNetwork net = new SeglightNetwork(TestSupport.tiny(Variant.CONVFORMER), m.newSubManager())) {
            NetworkOutput out = net.forward(m.randomNormal(new Shape(1, 3, 64, 64)), m.randomNormal(new Shape(3, 32)),
                    false, true);
            for (int u = 0; u < 2; u++) {
                NDArray c2f = out.attnC2f().get(u);
                NDArray f2c = out.attnF2c().get(u);
                assertThat(c2f.sum(new int[] {-1}).sub(1f).abs().max().getFloat()).isLessThan(1e-5f);
                assertThat(f2c.sum(new int[] {-1}).sub(1f).abs().max().getFloat()).isLessThan(1e-5f);
                assertThat(c2f.min().getFloat()).isGreaterThanOrEqualTo(0f);
            }
        }
    }

    @Test
    void gradientsReachEveryTrainableParameter() {
        ModelConfig config = TestSupport.tiny(Variant.CONVFORMER);
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SeglightNetwork net = new SeglightNetwork(config, m.newSubManager())) {
            net.parameters().requireGradients(true);
            NDArray image = m.randomNormal(new Shape(2, 3, 64, 64));
            NDArray text = m.randomNormal(new Shape(3, 32));
            NDArray labels = m.randomInteger(0, 3, new Shape(2, 64, 64), ai.djl.ndarray.types.DataType.INT64);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NetworkOutput out = net.forward(image, text, true, false);
                NDArray logits = Ops.resizeBilinear(out.logits(), 64, 64);
                NDArray aux = Ops.resizeBilinear(out.s().div(config.tau()), 64, 64);
                NDArray loss = crossEntropy(logits, labels).add(crossEntropy(aux, labels).mul(config.auxWeight()));
                gc.backward(loss);
            }
            long checked = 0;
            for (ParameterSet.Entry e : net.parameters().entries().values()) {
                if (!e.trainable()) {
                    continue;
                }
                float g = e.array().getGradient().abs().sum().getFloat();
                assertThat(g).as("gradient of %s", e.name()).isGreaterThan(0f);
                checked++;
            }
            assertThat(checked).isGreaterThan(150);
        }
    }

    @Test
    void wrongTextShapeIsRefusedClearly() {
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                SeglightNetwork net = new SeglightNetwork(TestSupport.tiny(Variant.CONVFORMER), m.newSubManager())) {
            assertThatThrownBy(() -> net.forward(m.zeros(new Shape(1, 3, 64, 64)), m.zeros(new Shape(4, 32)), false,
                    false)).hasMessageContaining("built for 3 classes");
            assertThatThrownBy(() -> net.forward(m.zeros(new Shape(1, 3, 60, 64)), m.zeros(new Shape(3, 32)), false,
                    false)).hasMessageContaining("multiples of 32");
        }
    }

    private static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logp = logits.logSoftmax(1);                          // (B, K, H, W)
        NDArray picked = logp.gather(labels.expandDims(1), 1);        // (B, 1, H, W)
        return picked.mean().neg();
    }
}

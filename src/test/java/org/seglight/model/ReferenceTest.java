package org.seglight.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.seglight.io.Safetensors;

/**
 * The DJL modules against an independent PyTorch implementation of docs/NETWORK.md §3.3 and §3.6
 * (src/test/python/reference.py): same weights and inputs, outputs equal to 1e-4.
 */
class ReferenceTest {

    private static final float TOLERANCE = 1e-4f;

    private NDManager manager;
    private ParameterSet params;
    private Map<String, Safetensors.Tensor> fixture;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
        params = new ParameterSet(manager.newSubManager());
    }

    @AfterEach
    void tearDown() {
        params.close();
        manager.close();
    }

    private void load(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/reference/" + name)) {
            fixture = Safetensors.read(in, name).tensors();
        }
    }

    /** Copies every fixture weight into the module's parameters; both sides must name the same tensors. */
    private void assignWeights() {
        Set<String> weights = new TreeSet<>();
        for (String n : fixture.keySet()) {
            if (!n.startsWith("in.") && !n.startsWith("out.")) {
                weights.add(n);
            }
        }
        assertThat(new TreeSet<>(params.entries().keySet())).isEqualTo(weights);
        for (String n : weights) {
            params.assign(n, tensor(n));
        }
    }

    private NDArray tensor(String name) {
        Safetensors.Tensor t = fixture.get(name);
        return manager.create(t.data(), new Shape(t.shape()));
    }

    private void assertClose(NDArray actual, String expectedName) {
        NDArray expected = tensor(expectedName);
        assertThat(actual.getShape()).as(expectedName).isEqualTo(expected.getShape());
        float diff = actual.sub(expected).abs().max().getFloat();
        assertThat(diff).as("max |DJL - PyTorch| of %s", expectedName).isLessThan(TOLERANCE);
    }

    @Test
    void conv2former() throws Exception {
        load("conv2former.safetensors");
        Conv2Former module = new Conv2Former(params.scope("c2f"), 64, 2, 1e-5f, false);
        assignWeights();
        NDArray[] out = module.forward(tensor("in.I"), tensor("in.T"));
        assertClose(out[0], "out.T");
        assertClose(out[1], "out.attn");
    }

    @Test
    void former() throws Exception {
        load("former.safetensors");
        Former module = new Former(params.scope("former"), 64, 4, 2, 1e-5f);
        assignWeights();
        assertClose(module.forward(tensor("in.T")), "out.T");
    }

    @Test
    void former2conv() throws Exception {
        load("former2conv.safetensors");
        Former2Conv module = new Former2Conv(params.scope("f2c"), 64, 2, false);
        assignWeights();
        NDArray[] out = module.forward(tensor("in.I"), tensor("in.T"));
        assertClose(out[0], "out.I");
        assertClose(out[1], "out.attn");
    }

    @Test
    void fpnNeck() throws Exception {
        load("fpn_neck.safetensors");
        SemanticFpnNeck neck = new SemanticFpnNeck(params.scope("neck"), new int[] {8, 12, 16, 20}, 16);
        assignWeights();
        NDArray[] out = neck.forward(new NDArray[] {tensor("in.f0"), tensor("in.f1"), tensor("in.f2"), tensor("in.f3")});
        for (int i = 0; i < 4; i++) {
            assertClose(out[i], "out.p" + i);
        }
    }

    @Test
    void fpnHead() throws Exception {
        load("fpn_head.safetensors");
        FpnHead head = new FpnHead(params.scope("head"), 4, 16, 16, 5, 0.1f, 1e-5f, 0.1f);
        assignWeights();
        NDArray logits = head.forward(new NDArray[] {tensor("in.p0"), tensor("in.p1"), tensor("in.p2"),
            tensor("in.p3")}, false);
        assertClose(logits, "out.logits");
    }
}

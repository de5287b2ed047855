package org.seglight.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seglight.io.Safetensors;
import org.seglight.model.ParameterSet;

/**
 * AdamW (PyTorch's algorithm) with the parameter groups of docs/NETWORK.md §8: the encoder at a tenth of the
 * learning rate, LayerNorm weights and biases without weight decay (mmcv's {@code 'norm'} key matches only
 * LayerNorms here; BatchNorm keeps its decay, as in the reference).
 *
 * <p>Written out rather than DJL's {@code AdamW} because DJL's weight decay is global.
 */
public final class AdamW {

    private final ParameterSet params;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final float encoderLrMult;
    private final NDManager stateManager;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long step;

    public AdamW(ParameterSet params, float weightDecay, float encoderLrMult) {
        this(params, weightDecay, encoderLrMult, name -> true);
    }

    /**
     * An optimizer of the trainable tensors that {@code trains} accepts by name (learning with a frozen encoder
     * leaves {@code encoder.*} out); the others keep their values and carry no moments.
     */
    public AdamW(ParameterSet params, float weightDecay, float encoderLrMult,
            java.util.function.Predicate<String> trains) {
        this.params = params;
        this.beta1 = 0.9f;
        this.beta2 = 0.999f;
        this.eps = 1e-8f;
        this.weightDecay = weightDecay;
        this.encoderLrMult = encoderLrMult;
        this.stateManager = params.manager().newSubManager();
        for (ParameterSet.Entry e : params.entries().values()) {
            if (e.trainable() && trains.test(e.name())) {
                m.put(e.name(), stateManager.zeros(e.array().getShape()));
                v.put(e.name(), stateManager.zeros(e.array().getShape()));
            }
        }
    }

    /** The learning-rate multiplier of a parameter: 0.1 for the image encoder, 1 elsewhere. */
    public float lrMultiplier(String name) {
        return name.startsWith("encoder.") ? encoderLrMult : 1f;
    }

    /** Weight decay of a parameter: none on LayerNorm. */
    public float decay(ParameterSet.Entry e) {
        return e.role() == ParameterSet.Role.LN_WEIGHT || e.role() == ParameterSet.Role.LN_BIAS ? 0f : weightDecay;
    }

    /** One update with the gradients the last backward pass left on the parameters, at iteration {@code iter}. */
    public void step(PolySchedule schedule, long iter) {
        step(multiplier -> schedule.rate(iter, multiplier));
    }

    /** One update at the rate {@code rate} gives for a parameter's multiplier ({@link #lrMultiplier}). */
    public void step(java.util.function.DoubleUnaryOperator rate) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        for (ParameterSet.Entry e : params.entries().values()) {
            if (!m.containsKey(e.name())) {
                continue;
            }
            NDArray p = e.array();
            NDArray g = p.getGradient();
            double lr = rate.applyAsDouble(lrMultiplier(e.name()));
            NDArray mt = m.get(e.name());
            NDArray vt = v.get(e.name());
            try (NDArray g1 = g.mul(1 - beta1); NDArray g2 = g.square()) {
                mt.muli(beta1).addi(g1);
                vt.muli(beta2).addi(g2.muli(1 - beta2));
            }
            float wd = decay(e);
            if (wd > 0) {
                p.muli((float) (1 - lr * wd));
            }
            try (NDArray denom = vt.sqrt().divi((float) Math.sqrt(bc2)).addi(eps);
                    NDArray update = mt.div(denom).muli((float) (lr / bc1))) {
                p.subi(update);
            }
            g.muli(0f); // PyTorch accumulates gradients: clear them for the next backward pass
            g.close();
        }
    }

    public long steps() {
        return step;
    }

    /** Optimizer moments and step count, for resuming. */
    public Map<String, Safetensors.Tensor> state() {
        Map<String, Safetensors.Tensor> out = new LinkedHashMap<>();
        for (String name : m.keySet()) {
            out.put("m." + name, new Safetensors.Tensor(m.get(name).getShape().getShape(), m.get(name).toFloatArray()));
            out.put("v." + name, new Safetensors.Tensor(v.get(name).getShape().getShape(), v.get(name).toFloatArray()));
        }
        return out;
    }

    public void restore(Map<String, Safetensors.Tensor> state, long steps) {
        for (String name : m.keySet()) {
            Safetensors.Tensor tm = state.get("m." + name);
            Safetensors.Tensor tv = state.get("v." + name);
            if (tm == null || tv == null) {
                throw new IllegalArgumentException("The optimizer state has no moments for " + name);
            }
            m.get(name).set(tm.data());
            v.get(name).set(tv.data());
        }
        this.step = steps;
    }
}

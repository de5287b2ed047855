package org.seglight.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.seglight.mask.LabelMask;
import org.seglight.model.ModelConfig;
import org.seglight.model.NetworkOutput;
import org.seglight.model.Ops;

/** The training losses of docs/NETWORK.md §4. */
public final class Losses {

    /**
     * Cross entropy with the ignore label, averaged over all B·H·W pixels, ignored ones included (mmseg 0.19,
     * which DenseCLIP pins).
     *
     * @param logits (B, K, H, W), already at the label size
     * @param labels (B, H, W) int64, {@link LabelMask#VOID} = ignore
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return crossEntropy(logits, labels, null);
    }

    /**
     * As {@link #crossEntropy(NDArray, NDArray)}, each pixel's term weighted by its class's weight (a
     * class-balanced loss, as SegNet's median-frequency weights): {@code -Σ w[y]·log p(y) / (B·H·W)}, as mmseg
     * applies {@code class_weight}.
     *
     * @param classWeights (K) float32, or null for none
     */
    public static NDArray crossEntropy(NDArray logits, NDArray labels, NDArray classWeights) {
        NDArray valid = labels.neq(LabelMask.VOID);                                   // (B, H, W)
        NDArray safe = labels.mul(valid.toType(DataType.INT64, false));               // void → 0
        NDArray logp = logits.logSoftmax(1);                                          // (B, K, H, W)
        NDArray picked = logp.gather(safe.expandDims(1), 1).squeeze(1);               // (B, H, W)
        NDArray weight = valid.toType(DataType.FLOAT32, false);
        if (classWeights != null) {
            long k = classWeights.size();
            NDArray perClass = classWeights.reshape(1, k, 1, 1).broadcast(logp.getShape());
            weight = weight.mul(perClass.gather(safe.expandDims(1), 1).squeeze(1));
        }
        return picked.mul(weight).sum().div(-labels.size());
    }

    /** The loss to minimise and its two terms. */
    public record Terms(NDArray total, NDArray seg, NDArray aux) {}

    /** L = CE(logits↑) + auxWeight · CE((S/τ)↑), both resized bilinearly to the label size. */
    public static NDArray total(NetworkOutput out, NDArray labels, ModelConfig config) {
        return terms(out, labels, config).total();
    }

    /** The loss and its terms; {@code aux} is null when the variant has no score map. */
    public static Terms terms(NetworkOutput out, NDArray labels, ModelConfig config) {
        return terms(out, labels, config, null);
    }

    /** The loss and its terms, both cross entropies weighted per class when {@code classWeights} is given. */
    public static Terms terms(NetworkOutput out, NDArray labels, ModelConfig config, NDArray classWeights) {
        long h = labels.getShape().get(1);
        long w = labels.getShape().get(2);
        NDArray seg = crossEntropy(Ops.resizeBilinear(out.logits(), h, w), labels, classWeights);
        if (out.s() != null && config.auxWeight() > 0) {
            NDArray aux = crossEntropy(Ops.resizeBilinear(out.s().div(config.tau()), h, w), labels, classWeights);
            return new Terms(seg.add(aux.mul(config.auxWeight())), seg, aux);
        }
        return new Terms(seg, seg, null);
    }

    private Losses() {}
}

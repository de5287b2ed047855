package org.seglight.model;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.seglight.io.Safetensors;

/**
 * Carries a trained model's classes over to a network for another class list: a class the new list names as
 * the old one did (case-insensitively) keeps its learned weights, wherever it now stands; a new class starts
 * from the old class whose text is closest to its own (so "bus" starts as "car" did), with the classifier's
 * fresh initial values added to break the tie; a class without text to compare starts as initialised; a
 * dropped class is dropped. Only the tensors indexed by class change shape with the class list: the
 * classifier's rows and bias ({@code head.cls.*}) and, in the variants that feed the score map S to the FPN,
 * the top lateral's last K input columns ({@code neck.lateral.3.weight}); every other tensor is copied when
 * its name and shape match, as {@link Weights#loadMatching} does.
 */
public final class ClassCarryOver {

    /** A tensor indexed by class along {@code axis}, the classes being its last K entries there. */
    record ClassAxis(String name, int axis) {}

    private ClassCarryOver() {}

    /** For each new class, the old class of the same name (stripped, case-insensitive), or -1. */
    public static int[] byName(List<String> oldNames, List<String> newNames) {
        int[] out = new int[newNames.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = -1;
            String n = newNames.get(k).strip().toLowerCase(Locale.ROOT);
            for (int o = 0; o < oldNames.size(); o++) {
                if (oldNames.get(o).strip().toLowerCase(Locale.ROOT).equals(n)) {
                    out[k] = o;
                    break;
                }
            }
        }
        return out;
    }

    /**
     * For each new class without an old one of its name, the old class whose text embedding is closest by
     * cosine, or -1 when there are no embeddings to compare (the {@code fpn} variant, or another text width).
     */
    public static int[] nearestByText(float[][] oldEmbeddings, float[][] newEmbeddings, int[] byName) {
        int[] out = new int[byName.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = -1;
            if (byName[k] >= 0 || oldEmbeddings == null || newEmbeddings == null || k >= newEmbeddings.length
                    || oldEmbeddings.length == 0 || oldEmbeddings[0].length != newEmbeddings[k].length) {
                continue;
            }
            double best = Double.NEGATIVE_INFINITY;
            for (int o = 0; o < oldEmbeddings.length; o++) {
                double c = cosine(oldEmbeddings[o], newEmbeddings[k]);
                if (c > best) {
                    best = c;
                    out[k] = o;
                }
            }
        }
        return out;
    }

    /** The tensors of a network of this configuration that are indexed by class. */
    static List<ClassAxis> axes(ModelConfig config) {
        List<ClassAxis> out = new ArrayList<>(List.of(new ClassAxis("head.cls.weight", 0),
                new ClassAxis("head.cls.bias", 0)));
        if (config.variant().usesText()) {
            out.add(new ClassAxis("neck.lateral.3.weight", 1)); // [features | S], S being K channels
        }
        return out;
    }

    /**
     * Loads an old model's tensors into a network built for a new class list.
     *
     * @param oldK the old model's number of classes
     * @param sameName for each new class, the old class it continues, or -1 ({@link #byName})
     * @param nearest for each new class without one, the old class to start from, or -1 ({@link #nearestByText})
     * @return what a person should read: how many classes kept their weights, started from another, or afresh,
     *     and the tensors left as initialised
     */
    public static Report load(ParameterSet params, ModelConfig config, Map<String, Safetensors.Tensor> old, int oldK,
            int[] sameName, int[] nearest) {
        int newK = config.numClasses();
        if (sameName.length != newK || nearest.length != newK) {
            throw new IllegalArgumentException("A class map must have one entry per new class (" + newK + ")");
        }
        List<String> fresh = new ArrayList<>();
        Map<String, ClassAxis> classAxes = new java.util.HashMap<>();
        axes(config).forEach(a -> classAxes.put(a.name(), a));
        for (ParameterSet.Entry e : params.entries().values()) {
            Safetensors.Tensor t = old.get(e.name());
            ClassAxis axis = classAxes.get(e.name());
            Shape shape = e.array().getShape();
            if (axis != null && t != null && fitsButForClasses(shape, t.shape(), axis.axis(), oldK, newK)) {
                float[] target = e.array().toFloatArray();
                copyClasses(target, shape.getShape(), t.data(), t.shape(), axis.axis(), oldK, newK, sameName,
                        nearest);
                e.array().set(target);
            } else if (t != null && shape.equals(new Shape(t.shape()))) {
                e.array().set(t.data());
            } else {
                fresh.add(e.name());
            }
        }
        int kept = 0;
        int fromText = 0;
        for (int k = 0; k < newK; k++) {
            if (sameName[k] >= 0) {
                kept++;
            } else if (nearest[k] >= 0) {
                fromText++;
            }
        }
        return new Report(kept, fromText, newK - kept - fromText, fresh);
    }

    /**
     * What {@link #load} did.
     *
     * @param kept classes that kept their learned weights
     * @param fromText new classes that start from the old class nearest to their text
     * @param afresh new classes that start as initialised
     * @param freshTensors tensors left as initialised
     */
    public record Report(int kept, int fromText, int afresh, List<String> freshTensors) {}

    /** Whether two shapes are equal but on the class axis, where they hold the same non-class part. */
    private static boolean fitsButForClasses(Shape shape, long[] oldShape, int axis, int oldK, int newK) {
        long[] s = shape.getShape();
        if (s.length != oldShape.length || axis >= s.length) {
            return false;
        }
        for (int d = 0; d < s.length; d++) {
            if (d != axis && s[d] != oldShape[d]) {
                return false;
            }
        }
        return s[axis] - newK == oldShape[axis] - oldK && s[axis] >= newK && oldShape[axis] >= oldK;
    }

    /**
     * Writes the class entries of {@code target} (the last newK along {@code axis}) from {@code old}'s: a kept
     * class copies its slice; a class started from another copies that one's slice and, on the classifier (the
     * whole axis is classes), adds its fresh initial values so that the two do not tie. The non-class part
     * (the lateral's feature columns) is copied as it is.
     */
    private static void copyClasses(float[] target, long[] shape, float[] old, long[] oldShape, int axis, int oldK,
            int newK, int[] sameName, int[] nearest) {
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= (int) shape[d];
        }
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= (int) shape[d];
        }
        int newLen = (int) shape[axis];
        int oldLen = (int) oldShape[axis];
        int shared = newLen - newK; // entries before the classes (the lateral's feature channels)
        boolean wholeAxis = shared == 0;
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < shared; i++) {
                System.arraycopy(old, (o * oldLen + i) * inner, target, (o * newLen + i) * inner, inner);
            }
            for (int k = 0; k < newK; k++) {
                int src = sameName[k] >= 0 ? sameName[k] : nearest[k];
                if (src < 0) {
                    continue; // afresh: keep the initial values
                }
                int from = (o * oldLen + shared + src) * inner;
                int to = (o * newLen + shared + k) * inner;
                for (int j = 0; j < inner; j++) {
                    float init = target[to + j];
                    target[to + j] = old[from + j] + (sameName[k] < 0 && wholeAxis ? init : 0f);
                }
            }
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? -1 : dot / Math.sqrt(na * nb);
    }
}

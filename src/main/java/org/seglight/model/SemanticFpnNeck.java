package org.seglight.model;

import org.seglight.onnx.OnnxOps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The Semantic FPN neck (docs/NETWORK.md §3.6, mmseg {@code FPN} with {@code norm_cfg=None}): 1×1 laterals,
 * a nearest-neighbour top-down path, and 3×3 output convs, every conv with a bias.
 */
public final class SemanticFpnNeck {

    private final NDArray[] lateralW;
    private final NDArray[] lateralB;
    private final NDArray[] fpnW;
    private final NDArray[] fpnB;

    public SemanticFpnNeck(ParameterSet.Scope scope, int[] inChannels, int channels) {
        int levels = inChannels.length;
        lateralW = new NDArray[levels];
        lateralB = new NDArray[levels];
        fpnW = new NDArray[levels];
        fpnB = new NDArray[levels];
        for (int i = 0; i < levels; i++) {
            ParameterSet.Scope lat = scope.child("lateral").child(i);
            lateralW[i] = lat.weight(new Shape(channels, inChannels[i], 1, 1), Initializers.XAVIER_UNIFORM);
            lateralB[i] = lat.zeroBias(channels);
        }
        for (int i = 0; i < levels; i++) {
            ParameterSet.Scope out = scope.child("fpn").child(i);
            fpnW[i] = out.weight(new Shape(channels, channels, 3, 3), Initializers.XAVIER_UNIFORM);
            fpnB[i] = out.zeroBias(channels);
        }
    }

    /** @param features F_i (B, in_i, H_i, W_i), finest first @return P_i (B, channels, H_i, W_i) */
    public NDArray[] forward(NDArray[] features) {
        int levels = features.length;
        NDArray[] lat = new NDArray[levels];
        for (int i = 0; i < levels; i++) {
            lat[i] = Ops.conv2d(features[i], lateralW[i], lateralB[i], 1, 0, 1);
        }
        for (int i = levels - 1; i > 0; i--) {
            Shape lower = lat[i - 1].getShape();
            lat[i - 1] = lat[i - 1].add(Ops.resizeNearest(lat[i], lower.get(2), lower.get(3)));
        }
        NDArray[] out = new NDArray[levels];
        for (int i = 0; i < levels; i++) {
            out[i] = Ops.conv2d(lat[i], fpnW[i], fpnB[i], 1, 1, 1);
        }
        return out;
    }

    /** The same neck as ONNX nodes; each level is twice the size of the next. */
    public String[] onnx(OnnxOps o, String[] features) {
        int levels = features.length;
        String[] lat = new String[levels];
        for (int i = 0; i < levels; i++) {
            lat[i] = o.conv2d(features[i], lateralW[i], lateralB[i], 1, 0, 1);
        }
        for (int i = levels - 1; i > 0; i--) {
            lat[i - 1] = o.add(lat[i - 1], o.upNearest(lat[i], 2f));
        }
        String[] out = new String[levels];
        for (int i = 0; i < levels; i++) {
            out[i] = o.conv2d(lat[i], fpnW[i], fpnB[i], 1, 1, 1);
        }
        return out;
    }
}

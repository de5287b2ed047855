package org.seglight.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Moves the (K, C) text embeddings T₀ between Java rows, a flat row-major array and a tensor. */
public final class TextEmbeddings {

    /** Row-major (K·C) copy of K rows of equal length. */
    public static float[] flatten(float[][] rows) {
        int d = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * d];
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(rows[k], 0, flat, k * d, d);
        }
        return flat;
    }

    /** K rows of length d from a row-major array. */
    public static float[][] rows(float[] flat, int k, int d) {
        float[][] rows = new float[k][d];
        for (int i = 0; i < k; i++) {
            System.arraycopy(flat, i * d, rows[i], 0, d);
        }
        return rows;
    }

    /** The embeddings as a (K, C) tensor on {@code manager}. */
    public static NDArray toArray(NDManager manager, float[][] rows) {
        return manager.create(flatten(rows), new Shape(rows.length, rows[0].length)); // (K, C)
    }

    private TextEmbeddings() {}
}

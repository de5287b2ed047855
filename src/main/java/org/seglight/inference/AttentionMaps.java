package org.seglight.inference;

/**
 * The bridge attention of every fusion unit at feature resolution (docs/NETWORK.md §10), on a grid of
 * {@code gridWidth × gridHeight} cells of 32 image pixels.
 *
 * <p>{@code c2f[u]} holds A_c2f of unit u+1 as (heads, K, N): for each text token, a softmax over the pixels.
 * {@code f2c[u]} holds A_f2c as (heads, N, K): for each pixel, a softmax over the tokens. N = gridWidth ×
 * gridHeight, row-major.
 */
public record AttentionMaps(int units, int heads, int classes, int gridWidth, int gridHeight, float[][] c2f,
        float[][] f2c) {

    /** No fusion units (fpn, denseclip). */
    public static AttentionMaps none(int classes, int gridWidth, int gridHeight) {
        return new AttentionMaps(0, 0, classes, gridWidth, gridHeight, new float[0][], new float[0][]);
    }

    public int pixels() {
        return gridWidth * gridHeight;
    }

    /** Conv2Former: attention of token k on pixel n in unit u (0-based), one head. */
    public float tokenToPixel(int unit, int head, int k, int n) {
        return c2f[unit][(head * classes + k) * pixels() + n];
    }

    /** Former2Conv: attention of pixel n on token k in unit u (0-based), one head. */
    public float pixelToToken(int unit, int head, int n, int k) {
        return f2c[unit][(head * pixels() + n) * classes + k];
    }

    /** Conv2Former heat map of token k (length N), one head or the mean over heads when head &lt; 0. */
    public float[] tokenHeatMap(int unit, int head, int k) {
        return mean(head, pixels(), (h, n) -> tokenToPixel(unit, h, k, n));
    }

    /** Former2Conv distribution of pixel n over the K tokens, one head or the mean when head &lt; 0. */
    public float[] pixelDistribution(int unit, int head, int n) {
        return mean(head, classes, (h, k) -> pixelToToken(unit, h, n, k));
    }

    /** Conv2Former at pixel n: the attention each of the K tokens gives it, one head or the mean. */
    public float[] tokensAtPixel(int unit, int head, int n) {
        return mean(head, classes, (h, k) -> tokenToPixel(unit, h, k, n));
    }

    /** Former2Conv as a map (length N): how much each pixel attends to token k, one head or the mean. */
    public float[] pixelsToToken(int unit, int head, int k) {
        return mean(head, pixels(), (h, n) -> pixelToToken(unit, h, n, k));
    }

    private interface Entry {
        float at(int head, int i);
    }

    private float[] mean(int head, int length, Entry entry) {
        float[] out = new float[length];
        for (int h = 0; h < heads; h++) {
            if (head >= 0 && h != head) {
                continue;
            }
            for (int i = 0; i < length; i++) {
                out[i] += entry.at(h, i);
            }
        }
        return head >= 0 ? out : scale(out, 1f / heads);
    }

    private static float[] scale(float[] v, float s) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
        return v;
    }
}

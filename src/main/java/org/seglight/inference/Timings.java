package org.seglight.inference;

/**
 * Where one segmentation spent its time, in milliseconds.
 *
 * @param encodeMs image encoder (0 when the cached features were reused)
 * @param textMs text encoder (0 when all prompts were cached)
 * @param decodeMs fusion, score maps and FPN
 * @param postMs upsampling, softmax, argmax and copying out
 * @param windows how many windows the image ran as
 * @param featuresCached whether the image features came from the cache
 */
public record Timings(double encodeMs, double textMs, double decodeMs, double postMs, int windows,
        boolean featuresCached) {

    public double totalMs() {
        return encodeMs + textMs + decodeMs + postMs;
    }
}

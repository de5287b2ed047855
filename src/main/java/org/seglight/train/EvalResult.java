package org.seglight.train;

import java.util.Map;

/**
 * The figures of one evaluation.
 *
 * @param miou mean IoU over classes present in prediction or ground truth
 * @param pixelAccuracy correct over labelled pixels
 * @param perClass IoU per class name (NaN where absent)
 * @param confusion rows ground truth, columns prediction
 * @param images how many images
 * @param seconds wall time
 */
public record EvalResult(double miou, double pixelAccuracy, Map<String, Double> perClass, long[][] confusion,
        int images, double seconds) {}

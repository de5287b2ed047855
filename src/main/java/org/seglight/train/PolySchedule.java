package org.seglight.train;

/**
 * The poly learning-rate schedule with linear warm-up of docs/NETWORK.md §8 (mmcv {@code PolyLrUpdaterHook}):
 * {@code lr_g(i) = (base·mult − min)·(1 − i/T)^power + min}, multiplied during warm-up by
 * {@code 1 − (1 − i/W)(1 − ratio)}.
 */
public record PolySchedule(double baseLr, double minLr, double power, long totalIters, long warmupIters,
        double warmupRatio) {

    public double rate(long iter, double multiplier) {
        double progress = Math.min(1.0, (double) iter / totalIters);
        double lr = (baseLr * multiplier - minLr) * Math.pow(1 - progress, power) + minLr;
        if (iter < warmupIters) {
            lr *= 1 - (1 - (double) iter / warmupIters) * (1 - warmupRatio);
        }
        return lr;
    }
}

package org.seglight.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.seglight.mask.LabelMask;

/**
 * Accumulates a K×K confusion matrix (rows: ground truth, columns: prediction) over a whole split, then
 * derives per-class IoU, mIoU and pixel accuracy as docs/NETWORK.md §9 says: intersections and unions summed
 * over all images, the mean over classes with a non-empty union. Ground-truth 255 (void) is skipped.
 */
public final class ConfusionMatrix {

    private final int classes;
    private final long[][] counts;
    /** Ground-truth pixels of class k predicted as void or an unknown index. */
    private final long[] missed;

    public ConfusionMatrix(int classes) {
        this.classes = classes;
        this.counts = new long[classes][classes];
        this.missed = new long[classes];
    }

    /** Adds one image; predictions outside 0..K-1 count as wrong for their ground-truth class. */
    public void add(LabelMask prediction, byte[] groundTruth) {
        if (groundTruth.length != (long) prediction.width() * prediction.height()) {
            throw new IllegalArgumentException("Prediction and ground truth differ in size");
        }
        byte[] pred = prediction.toBytes();
        for (int i = 0; i < pred.length; i++) {
            int t = groundTruth[i] & 0xff;
            if (t >= classes) {
                continue;
            }
            int p = pred[i] & 0xff;
            if (p < classes) {
                counts[t][p]++;
            } else {
                missed[t]++;
            }
        }
    }

    public long[][] counts() {
        long[][] copy = new long[classes][];
        for (int i = 0; i < classes; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /** IoU per class; NaN where the class is absent from both prediction and ground truth. */
    public double[] iou() {
        double[] out = new double[classes];
        for (int k = 0; k < classes; k++) {
            long inter = counts[k][k];
            long gt = missed[k];
            long pred = 0;
            for (int j = 0; j < classes; j++) {
                gt += counts[k][j];
                pred += counts[j][k];
            }
            long union = gt + pred - inter;
            out[k] = union == 0 ? Double.NaN : (double) inter / union;
        }
        return out;
    }

    /** Mean IoU over classes with a non-empty union. */
    public double meanIou() {
        double sum = 0;
        int n = 0;
        for (double v : iou()) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Correct pixels over all labelled pixels. */
    public double pixelAccuracy() {
        long correct = 0;
        long total = 0;
        for (int k = 0; k < classes; k++) {
            correct += counts[k][k];
            total += missed[k];
            for (int j = 0; j < classes; j++) {
                total += counts[k][j];
            }
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** IoU by class name, in class order. */
    public Map<String, Double> perClass(List<String> names) {
        Map<String, Double> out = new LinkedHashMap<>();
        double[] iou = iou();
        for (int k = 0; k < classes; k++) {
            out.put(names.get(k), iou[k]);
        }
        return out;
    }
}

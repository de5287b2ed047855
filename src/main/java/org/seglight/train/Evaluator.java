package org.seglight.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import org.seglight.inference.Segmenter;
import org.seglight.mask.LabelMask;
import org.seglight.task.CancelledException;
import org.seglight.task.Progress;
import org.seglight.text.PromptSet;

/** Runs a model over a labelled split and accumulates the confusion matrix (docs/NETWORK.md §9). */
public final class Evaluator {

    /**
     * @param prompts the class prompts to segment with; class k of the prompts is label k of the dataset
     * @param whole one padded window per image; otherwise sliding windows for images larger than the input
     */
    public static EvalResult evaluate(Segmenter segmenter, SegmentationDataset data, PromptSet prompts, boolean whole,
            Progress progress) throws IOException {
        if (prompts.size() != data.numClasses()) {
            throw new IllegalArgumentException("The dataset has " + data.numClasses() + " classes but "
                    + prompts.size() + " prompts were given");
        }
        long start = System.nanoTime();
        ConfusionMatrix cm = new ConfusionMatrix(data.numClasses());
        int n = data.samples().size();
        for (int i = 0; i < n; i++) {
            if (progress.isCancelled()) {
                throw new CancelledException("Evaluation cancelled after " + i + " of " + n + " images");
            }
            SegmentationDataset.Pair pair = data.load(i);
            BufferedImage img = new BufferedImage(pair.width(), pair.height(), BufferedImage.TYPE_INT_RGB);
            img.setRGB(0, 0, pair.width(), pair.height(), pair.rgb(), 0, pair.width());
            LabelMask pred = segmenter.segment(img, prompts, whole).mask();
            cm.add(pred, pair.labels());
            progress.update("Evaluated " + pair.name(), i + 1, n);
        }
        return new EvalResult(cm.meanIou(), cm.pixelAccuracy(), cm.perClass(prompts.names()), cm.counts(), n,
                (System.nanoTime() - start) / 1e9);
    }

    private Evaluator() {}
}

package org.seglight.ui;

import java.awt.image.BufferedImage;
import org.seglight.inference.ScoreMaps;
import org.seglight.inference.SegmentationResult;
import org.seglight.io.ImageLoader;
import org.seglight.mask.SmartSelect;
import org.seglight.ui.corrections.CorrectionsViewModel;
import org.seglight.ui.images.ImageSession;

/**
 * The smart select's source for the open image: its pixels and, once the model has segmented it, the class
 * probabilities the network gave each pixel. The prepared Lab window of the last click is kept and reused for
 * clicks (and tolerance changes) inside it.
 */
final class SmartSelector implements CorrectionsViewModel.RegionSelector {

    private final ImageSession session;
    private BufferedImage preparedFor;
    private SmartSelect.Prepared prepared;

    SmartSelector(ImageSession session) {
        this.session = session;
    }

    @Override
    public SmartSelect.Selection select(int x, int y, int tolerance) {
        BufferedImage image = session.imageProperty().get();
        if (image == null || x < 0 || y < 0 || x >= image.getWidth() || y >= image.getHeight()) {
            return null;
        }
        if (preparedFor != image || !prepared.serves(x, y, image.getWidth(), image.getHeight())) {
            prepared = SmartSelect.prepare(pixels(image), image.getWidth(), image.getHeight(), x, y);
            preparedFor = image;
        }
        SegmentationResult result = session.resultProperty().get();
        SmartSelect.Scores scores = null;
        if (result != null) {
            ScoreMaps p = result.probabilities();
            if ((long) p.width() * p.scale() >= image.getWidth()
                    && (long) p.height() * p.scale() >= image.getHeight()) { // the result is this image's
                scores = new SmartSelect.Scores(p.classes(), p.width(), p.height(), p.scale(), p.data());
            }
        }
        return prepared.select(x, y, tolerance, scores);
    }

    /** The image's pixels without a copy when it is packed RGB, else read through getRGB per window. */
    private static SmartSelect.Pixels pixels(BufferedImage image) {
        int w = image.getWidth();
        if (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_INT_ARGB) {
            int[] packed = (long) w * image.getHeight() <= 16_000_000 ? ImageLoader.packedRgb(image) : null;
            if (packed != null && packed.length == w * image.getHeight()) {
                return (x0, y0, ww, hh, dst) -> {
                    for (int r = 0; r < hh; r++) {
                        System.arraycopy(packed, (y0 + r) * w + x0, dst, r * ww, ww);
                    }
                };
            }
        }
        return (x0, y0, ww, hh, dst) -> image.getRGB(x0, y0, ww, hh, dst, 0, ww);
    }
}

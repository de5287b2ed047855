package org.seglight.ui.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.TestSupport;
import org.seglight.task.CancelledException;
import org.seglight.task.Progress;

/** Reading an image for the viewer: progress as it goes, a stop when cancelled, a damaged file read in part. */
class ImageSessionTest {

    @TempDir
    Path dir;

    /** Records the percentages and cancels once {@code cancelAt} is reached. */
    private static final class Recorder implements Progress {
        final List<Long> done = new ArrayList<>();
        final long cancelAt;

        Recorder(long cancelAt) {
            this.cancelAt = cancelAt;
        }

        @Override
        public void update(String message, long d, long total) {
            assertThat(message).startsWith("Opening big.png");
            assertThat(total).isEqualTo(100);
            done.add(d);
        }

        @Override
        public boolean isCancelled() {
            return !done.isEmpty() && done.getLast() >= cancelAt;
        }
    }

    private Path big() throws Exception {
        BufferedImage img = new BufferedImage(600, 400, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 600; x++) {
                img.setRGB(x, y, x * 7 ^ y * 13);
            }
        }
        Path p = dir.resolve("big.png");
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    @Test
    void readingReportsItsProgressOncePerPercent() throws Exception {
        Recorder r = new Recorder(Long.MAX_VALUE);
        var loaded = ImageSession.read(big(), r);
        assertThat(loaded.image().getWidth()).isEqualTo(600);
        assertThat(r.done).isSorted().doesNotHaveDuplicates().hasSizeGreaterThan(10).hasSizeLessThanOrEqualTo(101);
        assertThat(r.done.getLast()).isEqualTo(100);
    }

    @Test
    void cancellingStopsTheRead() throws Exception {
        Recorder r = new Recorder(30);
        assertThatThrownBy(() -> ImageSession.read(big(), r)).isInstanceOf(CancelledException.class)
                .hasMessageContaining("cancelled");
        assertThat(r.done.getLast()).isLessThan(100);
    }

    @Test
    void aTruncatedFileGivesWhatWasReadWithItsDamage() throws Exception {
        var loaded = ImageSession.read(TestSupport.corpusFile("truncated.png", dir.resolve("cut.png")),
                Progress.NONE);
        assertThat(loaded.damaged()).isTrue();
        assertThat(loaded.damage()).contains("cut.png", "truncated");
        assertThat(loaded.image().getWidth()).isEqualTo(200);
    }

    private static org.seglight.inference.SegmentationResult result(int w, int h) {
        return new org.seglight.inference.SegmentationResult(new org.seglight.mask.LabelMask(w, h, new byte[w * h]),
                new org.seglight.inference.ScoreMaps(1, 1, 1, 1, new float[1]), null, null,
                org.seglight.inference.AttentionMaps.none(1, 1, 1), org.seglight.text.PromptSet.of("a"),
                new org.seglight.inference.Timings(1, 1, 1, 1, 1, false), "test");
    }

    @Test
    void segmentationsAreKeptForRevisitsWithinTheirBudget() {
        ImageSession s = new ImageSession(new org.seglight.ui.common.TaskRunner() {
            @Override
            public <T> Handle run(org.seglight.ui.common.Lane lane, String title, boolean visible, Work<T> work,
                    java.util.function.Consumer<T> onDone, java.util.function.Consumer<Throwable> onError,
                    Runnable release) {
                throw new AssertionError("keeping results runs no work");
            }
        }, null);
        int side = 9000; // 81 MB of labels each: six fit in 512 MB, seven do not
        for (int i = 0; i < 7; i++) {
            s.setResult(dir.resolve("img" + i + ".png"), result(side, side));
        }
        // The oldest went; the newest six stay (a revisit shows them at once).
        assertThat(s.cachedResults()).hasSize(6).doesNotContain(dir.resolve("img0.png"))
                .contains(dir.resolve("img6.png"), dir.resolve("img1.png"));
        for (int i = 7; i < 20; i++) {
            s.setResult(dir.resolve("small" + i + ".png"), result(10, 10));
        }
        assertThat(s.cachedResults()).hasSize(8); // and never more than eight
        assertThat(ImageSession.bytes(result(100, 50))).isEqualTo(5000 + 4);
    }
}

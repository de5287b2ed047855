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
}

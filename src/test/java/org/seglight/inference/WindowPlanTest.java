package org.seglight.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WindowPlanTest {

    @Test
    void smallImagesRunWhole() {
        assertThat(WindowPlan.plan(480, 360, 512, 512)).containsExactly(new WindowPlan.Window(0, 0, 480, 360));
    }

    @Test
    void largeImagesSlideWithTwoThirdsStrideAndCoverEveryPixel() {
        List<WindowPlan.Window> w = WindowPlan.plan(1024, 768, 512, 512);
        assertThat(w).hasSize(3 * 2); // nw = (1024-512+340)//341+1 = 3, nh = (768-512+340)//341+1 = 2
        boolean[][] covered = new boolean[768][1024];
        for (WindowPlan.Window win : w) {
            assertThat(win.width()).isEqualTo(512);
            assertThat(win.height()).isEqualTo(512);
            for (int y = win.y(); y < win.y() + win.height(); y++) {
                for (int x = win.x(); x < win.x() + win.width(); x++) {
                    covered[y][x] = true;
                }
            }
        }
        for (boolean[] row : covered) {
            for (boolean c : row) {
                assertThat(c).isTrue();
            }
        }
    }

    @Test
    void oneLongSideSlidesAlongItOnly() {
        List<WindowPlan.Window> w = WindowPlan.plan(2000, 300, 512, 512);
        assertThat(w).allSatisfy(win -> assertThat(win.height()).isEqualTo(300));
        assertThat(w.getLast().x() + w.getLast().width()).isEqualTo(2000);
    }
}

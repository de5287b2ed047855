package org.seglight.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.seglight.TestSupport;
import org.seglight.annotation.MaskEditor;
import org.seglight.mask.Region;
import org.seglight.mask.SmartSelect;

/**
 * How well the smart select picks real regions: on every fifth CamVid val image, a click at the most interior
 * pixel of each ground-truth region of 400 pixels or more, compared (IoU) with that region; with the shipped
 * model's scores, by colour alone, and against relabelling the model's own region under the click. The figures
 * are printed; they are the ones {@link SmartSelect}'s documentation gives.
 */
class SmartSelectCamvidTest {

    private record Figures(double withScores, double colourOnly, double relabel, int regions) {}

    @Test
    void theModelsScoresMakeTheSmartSelectFindRealRegions() throws Exception {
        Path camvid = TestSupport.shared().map(s -> s.resolve("data/camvid")).orElse(null);
        assumeTrue(camvid != null && Files.isRegularFile(camvid.resolve("val.txt")),
                "../shared/data/camvid is not here: no CamVid val images to click on");
        Path model = DefaultModel.locate().orElseThrow();
        Figures f;
        try (Segmenter seg = Segmenter.open(model, DevicePolicy.CPU)) {
            f = measure(camvid, seg);
        }
        System.out.printf("Smart select on CamVid val, %d regions, tolerance %d: mean IoU %.3f with the model's "
                + "scores, %.3f by colour alone, %.3f relabelling the model's region%n", f.regions(),
                SmartSelect.DEFAULT_TOLERANCE, f.withScores(), f.colourOnly(), f.relabel());
        assertThat(f.regions()).isGreaterThan(300);
        assertThat(f.withScores()).isGreaterThan(0.45);
        assertThat(f.withScores()).as("the scores are what makes it work").isGreaterThan(f.colourOnly() + 0.2);
        assertThat(f.withScores()).as("no worse than relabelling the model's own region")
                .isGreaterThan(f.relabel() - 0.02);
    }

    private static Figures measure(Path camvid, Segmenter seg) throws Exception {
        List<String> lines = Files.readAllLines(camvid.resolve("val.txt"));
        double scores = 0;
        double colour = 0;
        double relabel = 0;
        int n = 0;
        for (int li = 0; li < lines.size(); li += 5) {
            String[] f = lines.get(li).trim().split("\\s+");
            BufferedImage img = ImageIO.read(camvid.resolve(f[0]).toFile());
            BufferedImage lab = ImageIO.read(camvid.resolve(f[1]).toFile());
            int w = img.getWidth();
            int h = img.getHeight();
            int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
            int[] gt = new int[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    gt[y * w + x] = lab.getRaster().getSample(x, y, 0);
                }
            }
            SegmentationResult result = seg.segment(img, seg.defaultPrompts());
            ScoreMaps p = result.probabilities();
            SmartSelect.Scores sc = new SmartSelect.Scores(p.classes(), p.width(), p.height(), p.scale(), p.data());
            int[] comp = components(gt, w, h);
            int count = java.util.Arrays.stream(comp).max().orElse(-1) + 1;
            List<List<Integer>> members = new ArrayList<>();
            for (int c = 0; c < count; c++) {
                members.add(new ArrayList<>());
            }
            for (int i = 0; i < comp.length; i++) {
                if (comp[i] >= 0) {
                    members.get(comp[i]).add(i);
                }
            }
            for (int c = 0; c < count; c++) {
                List<Integer> px = members.get(c);
                if (px.size() < 400) {
                    continue;
                }
                int click = interior(px, comp, c, w, h);
                int cx = click % w;
                int cy = click / w;
                SmartSelect.Prepared prep = SmartSelect.prepare((x0, y0, ww, hh, dst) -> {
                    for (int r = 0; r < hh; r++) {
                        System.arraycopy(rgb, (y0 + r) * w + x0, dst, r * ww, ww);
                    }
                }, w, h, cx, cy);
                scores += iou(prep.select(cx, cy, SmartSelect.DEFAULT_TOLERANCE, sc), comp, c, px.size(), w);
                colour += iou(prep.select(cx, cy, SmartSelect.DEFAULT_TOLERANCE, null), comp, c, px.size(), w);
                MaskEditor model = new MaskEditor(result.mask(), 0);
                model.floodFill(cx, cy, 250);
                byte[] in = new byte[w * h];
                for (int i = 0; i < in.length; i++) {
                    in[i] = (byte) (model.get(i % w, i / w) == 250 ? 1 : 0);
                }
                relabel += iou(new SmartSelect.Selection(Region.of(0, 0, w, h), in), comp, c, px.size(), w);
                n++;
            }
        }
        return new Figures(scores / n, colour / n, relabel / n, n);
    }

    /** 4-connected regions of one label (void, 11 and up, left out as -1). */
    private static int[] components(int[] gt, int w, int h) {
        int[] comp = new int[gt.length];
        java.util.Arrays.fill(comp, -1);
        int next = 0;
        int[] stack = new int[gt.length];
        for (int s = 0; s < gt.length; s++) {
            if (comp[s] >= 0 || gt[s] >= 11) {
                continue;
            }
            int top = 0;
            stack[top++] = s;
            comp[s] = next;
            while (top > 0) {
                int p = stack[--top];
                int x = p % w;
                int y = p / w;
                int[] nb = {x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1};
                for (int q : nb) {
                    if (q >= 0 && comp[q] < 0 && gt[q] == gt[s]) {
                        comp[q] = next;
                        stack[top++] = q;
                    }
                }
            }
            next++;
        }
        return comp;
    }

    /** The region's pixel (of about 300 tried) farthest from any other region (by square rings, up to 40). */
    private static int interior(List<Integer> px, int[] comp, int c, int w, int h) {
        int best = px.get(px.size() / 2);
        int bestD = -1;
        for (int t = 0; t < px.size(); t += Math.max(1, px.size() / 300)) {
            int p = px.get(t);
            int x = p % w;
            int y = p / w;
            int d = 1;
            rings:
            for (; d < 40; d++) {
                for (int k = -d; k <= d; k++) {
                    int[][] pts = {{x + k, y - d}, {x + k, y + d}, {x - d, y + k}, {x + d, y + k}};
                    for (int[] q : pts) {
                        if (q[0] < 0 || q[1] < 0 || q[0] >= w || q[1] >= h || comp[q[1] * w + q[0]] != c) {
                            break rings;
                        }
                    }
                }
            }
            if (d > bestD) {
                bestD = d;
                best = p;
            }
        }
        return best;
    }

    private static double iou(SmartSelect.Selection s, int[] comp, int c, int regionSize, int w) {
        long inter = 0;
        long selected = 0;
        Region b = s.box();
        for (int y = b.y(); y < b.endY(); y++) {
            for (int x = b.x(); x < b.endX(); x++) {
                if (s.contains(x, y)) {
                    selected++;
                    inter += comp[y * w + x] == c ? 1 : 0;
                }
            }
        }
        return inter / (double) (selected + regionSize - inter);
    }
}

package org.seglight.cli;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.seglight.inference.DevicePolicy;
import org.seglight.inference.InferenceEngine;
import org.seglight.inference.SegmentationResult;
import org.seglight.inference.Segmenter;

/**
 * {@code seglight bench --model M --huge}: resident memory and time of segmenting one image of each size, each
 * in a fresh JVM started with this one's flags (so one size's peak does not hide in another's), beside what
 * the K×H×W float logits of the whole image alone would take. Figures printed, never asserted.
 */
final class HugeImageBench {

    private static final String RESULT = "HUGE-RESULT ";

    private HugeImageBench() {}

    /** Runs every size in a child JVM and prints one line per size. */
    static int run(Path model, List<int[]> sizes, InferenceEngine engine) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> flags = ManagementFactory.getRuntimeMXBean().getInputArguments();
        System.out.printf("Huge images (%s, %s; each size in a fresh JVM with this one's flags, max heap %.1f GB,"
                + " %s, %d cores):%n", model.getFileName(), engine.label(),
                Runtime.getRuntime().maxMemory() / 1073741824.0, HeapPolicy.describe(),
                Runtime.getRuntime().availableProcessors());
        System.out.printf("  %-12s %8s %9s %10s %11s %11s %11s %13s%n", "size", "MP", "windows", "time", "RSS model",
                "RSS image", "peak RSS", "K×H×W floats");
        int failed = 0;
        for (int[] wh : sizes) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(flags.stream().filter(f -> !f.startsWith("-agentlib") && !f.startsWith("-javaagent")).toList());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HugeImageBench.class.getName(),
                    model.toAbsolutePath().toString(), Integer.toString(wh[0]), Integer.toString(wh[1]),
                    engine.name()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String result = null;
            StringBuilder tail = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith(RESULT)) {
                        result = line.substring(RESULT.length());
                    } else {
                        tail.append(line).append('\n');
                        if (tail.length() > 4000) {
                            tail.delete(0, tail.length() - 4000);
                        }
                    }
                }
            }
            int code = p.waitFor();
            if (result == null || code != 0) {
                failed++;
                System.out.printf("  %-12s failed (exit %d): %s%n", wh[0] + "x" + wh[1], code,
                        tail.toString().strip().replace('\n', ' '));
            } else {
                System.out.println("  " + result);
            }
        }
        return failed == 0 ? 0 : 1;
    }

    /** The child: model, width, height, engine. */
    public static void main(String[] args) throws Exception {
        HeapPolicy.apply(); // as the launcher does
        Path model = Path.of(args[0]);
        int w = Integer.parseInt(args[1]);
        int h = Integer.parseInt(args[2]);
        InferenceEngine engine = InferenceEngine.valueOf(args[3]);
        try (Segmenter s = Segmenter.open(model, DevicePolicy.parse("cpu"), engine)) {
            int k = s.config().numClasses();
            // Warm the engine up on a small image, so the figure is the huge image's, not the first run's.
            s.segment(waves(480, 360), s.defaultPrompts());
            long model0 = ModelBench.statusKb("VmRSS:");
            BufferedImage image = waves(w, h);
            long image0 = ModelBench.statusKb("VmRSS:");
            long t0 = System.nanoTime();
            SegmentationResult r = s.segment(image, s.defaultPrompts());
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (r.mask().width() != w || r.mask().height() != h) {
                throw new IllegalStateException("the mask is " + r.mask().width() + "x" + r.mask().height());
            }
            long peak = ModelBench.statusKb("VmHWM:");
            System.out.println(RESULT + String.format(Locale.ROOT, "%-12s %8.1f %9d %9.1fs %8.0f MB %8.0f MB %8.0f MB"
                    + " %10.1f GB", w + "x" + h, w * (double) h / 1e6, r.timings().windows(), seconds, model0 / 1024.0,
                    image0 / 1024.0, peak / 1024.0, (double) k * w * h * Float.BYTES / 1073741824.0));
        }
    }

    /** Slow waves of colour over the whole image, written straight into its pixels. */
    static BufferedImage waves(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (int) (128 + 100 * Math.sin(x / 97.0 + y / 151.0));
                int g = (int) (128 + 90 * Math.cos(x / 173.0 - y / 89.0));
                int b = (int) (128 + 110 * Math.sin((x + y) / 211.0));
                px[y * w + x] = r << 16 | g << 8 | b;
            }
        }
        return img;
    }
}

package org.seglight.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.seglight.inference.DevicePolicy;
import org.seglight.inference.InferenceEngine;
import org.seglight.inference.NetworkTiming;
import org.seglight.inference.SegmentationResult;
import org.seglight.inference.Segmenter;
import org.seglight.inference.Timings;
import org.seglight.io.ImageLoader;
import org.seglight.text.ClassPrompt;
import org.seglight.text.PromptSet;

/**
 * The benchmark of a real model as users run it: cold start to the first mask in a fresh JVM, full inference
 * and the prompt-edit path per image size (through {@link Segmenter}, windows and post-processing included),
 * per-component times, resident memory over many images, and the same network and weights in PyTorch eager
 * (Debian's python3-torch running {@code src/test/python/torch_eager.py}) for ratios in the same run.
 */
final class ModelBench {

    private final Path model;
    private final Path imageFile;
    private final List<int[]> sizes;
    private final int runs;
    private final int memoryImages;
    private final String device;
    private final Path torchScript;
    private final String python;
    private final List<InferenceEngine> engines;

    ModelBench(Path model, Path imageFile, List<int[]> sizes, int runs, int memoryImages, String device,
            Path torchScript, String python, List<InferenceEngine> engines) {
        this.engines = engines;
        this.model = model;
        this.imageFile = imageFile;
        this.sizes = sizes;
        this.runs = runs;
        this.memoryImages = memoryImages;
        this.device = device;
        this.torchScript = torchScript;
        this.python = python;
    }

    /** Per-size figures: medians in ms. */
    record SizeFigures(String size, int windows, double fullMs, double editMs, double encodeMs, double textMs,
            double decodeMs, double postMs, double networkMs, double networkDecodeMs, double flipMs) {}

    /** One engine's figures. */
    record EngineFigures(InferenceEngine engine, String description, double coldMs, List<SizeFigures> sizes) {}

    int run() throws Exception {
        BufferedImage source = imageFile != null ? ImageLoader.read(imageFile) : scene(1024, 768, 1);
        System.out.printf("Seglight model bench: %s; %d cores; Java %s%n", model.getFileName(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        List<EngineFigures> all = new ArrayList<>();
        for (InferenceEngine engine : engines) {
            Path cache = Files.createTempDirectory("seglight-onnx-cache");
            double firstMs = engine == InferenceEngine.ONNX ? coldStart(engine, cache) : Double.NaN;
            double coldMs = coldStart(engine, cache);
            List<SizeFigures> figures = new ArrayList<>();
            String description;
            try (Segmenter s = Segmenter.open(model, DevicePolicy.parse(device), engine)) {
                description = s.deviceDescription();
                PromptSet prompts = s.defaultPrompts();
                for (int[] wh : sizes) {
                    figures.add(sizeFigures(s, prompts, resize(source, wh[0], wh[1]), wh, engine));
                }
                System.out.printf("%n  %s: %s%n", engine.label(), description);
                System.out.printf("  cold start to first mask (new JVM: load model, segment a 480x360 image, write"
                        + " it): %.0f ms%n", coldMs);
                if (engine == InferenceEngine.ONNX) {
                    System.out.printf("  (the first start of a model, which writes its ONNX graphs to the cache: %.0f"
                            + " ms)%n", firstMs);
                }
                printSizes(figures);
                if (memoryImages > 0 && engine == engines.getFirst()) {
                    memory(s, prompts, resize(source, 480, 360));
                }
            }
            all.add(new EngineFigures(engine, description, coldMs, figures));
        }
        if (all.size() == 2) {
            printSideBySide(all.get(0), all.get(1));
        }
        torchComparison(all);
        return 0;
    }

    /** The two engines in one table, as ratios of the second's time to the first's (> 1: the first is faster). */
    private static void printSideBySide(EngineFigures a, EngineFigures b) {
        String an = short_(a.engine());
        String bn = short_(b.engine());
        System.out.printf("%n  %s against %s, same run (ratio = %s time / %s time):%n", an, bn, bn, an);
        System.out.printf("  %-9s %8s %8s %6s | %8s %8s %6s | %8s %8s %6s | %s%n", "size", an + " full", bn + " full",
                "ratio", an + " edit", bn + " edit", "ratio", an + " net", bn + " net", "ratio",
                an + " full / " + an + " network alone");
        for (int i = 0; i < a.sizes().size(); i++) {
            SizeFigures x = a.sizes().get(i);
            SizeFigures y = b.sizes().get(i);
            System.out.printf(Locale.ROOT, "  %-9s %8.1f %8.1f %6.2f | %8.1f %8.1f %6.2f | %8.1f %8.1f %6.2f | %.2f%n",
                    x.size(), x.fullMs(), y.fullMs(), y.fullMs() / x.fullMs(), x.editMs(), y.editMs(),
                    y.editMs() / x.editMs(), x.networkMs(), y.networkMs(), y.networkMs() / x.networkMs(),
                    x.fullMs() / x.networkMs());
        }
        System.out.printf(Locale.ROOT, "  cold start: %s %.0f ms, %s %.0f ms (ratio %.2f)%n", an, a.coldMs(), bn,
                b.coldMs(), b.coldMs() / a.coldMs());
    }

    private static String short_(InferenceEngine e) {
        return e == InferenceEngine.ONNX ? "ORT" : "DJL";
    }

    /** A new JVM segmenting one image, with the ONNX graph cache in {@code cache}. */
    private double coldStart(InferenceEngine engine, Path cache) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("seglight-bench");
        Path img = dir.resolve("cold.png");
        javax.imageio.ImageIO.write(scene(480, 360, 7), "png", img.toFile());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true",
                "-Dseglight.onnx.cache=" + cache, "-cp",
                System.getProperty("java.class.path"), "org.seglight.app.Main", "segment", "--model",
                model.toAbsolutePath().toString(), "--image", img.toString(), "--out", dir.resolve("out").toString(),
                "--device", device, "--engine", engine.toString());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile())
                .start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("The cold-start run failed: " + Files.readString(dir.resolve("log.txt")));
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private SizeFigures sizeFigures(Segmenter s, PromptSet prompts, BufferedImage a, int[] wh, InferenceEngine engine)
            throws Exception {
        BufferedImage b = shifted(a);
        double[] full = new double[runs];
        double[] edit = new double[runs];
        double[] enc = new double[runs];
        double[] text = new double[runs];
        double[] dec = new double[runs];
        double[] post = new double[runs];
        int windows = 0;
        for (int i = -3; i < runs; i++) {
            // Each full run encodes afresh: the feature cache (which keeps many images) is emptied first.
            BufferedImage img = (i & 1) == 0 ? a : b;
            s.forgetFeatures();
            long t0 = System.nanoTime();
            SegmentationResult r = s.segment(img, prompts);
            long t1 = System.nanoTime();
            // A prompt edit: new words for one class (new text embedding), same image (cached features).
            SegmentationResult e = s.segment(img, edited(prompts, i + 3));
            long t2 = System.nanoTime();
            if (i >= 0) {
                Timings t = r.timings();
                full[i] = (t1 - t0) / 1e6;
                edit[i] = (t2 - t1) / 1e6;
                enc[i] = t.encodeMs();
                text[i] = e.timings().textMs();
                dec[i] = t.decodeMs();
                post[i] = t.postMs();
                windows = t.windows();
            }
        }
        // With flip test-time augmentation: each window also run mirrored.
        double[] flipped = new double[runs];
        s.setTestTimeFlip(true);
        try {
            for (int i = -1; i < runs; i++) {
                BufferedImage img = (i & 1) == 0 ? a : b;
                s.forgetFeatures();
                long t0 = System.nanoTime();
                s.segment(img, prompts);
                if (i >= 0) {
                    flipped[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
        } finally {
            s.setTestTimeFlip(false);
        }
        // The network alone on one window of this size (the Segmenter's input size when the image is larger).
        int ww = windows > 1 ? s.config().inputWidth() : wh[0];
        int wh2 = windows > 1 ? s.config().inputHeight() : wh[1];
        NetworkTiming.Figures net = NetworkTiming.measure(model, DevicePolicy.parse(device), engine, ww, wh2, runs);
        return new SizeFigures(wh[0] + "x" + wh[1], windows, median(full), median(edit), median(enc), median(text),
                median(dec), median(post), net.fullMs() * windows, net.decodeMs() * windows, median(flipped));
    }

    private static PromptSet edited(PromptSet p, int i) {
        List<ClassPrompt> c = new ArrayList<>(p.classes());
        ClassPrompt first = c.getFirst();
        c.set(0, new ClassPrompt(first.name(), "a photo of a {}, take " + i + ".", first.rgb()));
        return new PromptSet(c);
    }

    private void printSizes(List<SizeFigures> figures) {
        System.out.printf("  median of %d runs after 3 warm-up runs, ms:%n", runs);
        System.out.printf("  %-9s %7s %9s %12s %9s %6s %12s %6s %14s %14s %16s%n", "size", "windows", "full",
                "prompt-edit", "encoder", "text", "fusion+FPN", "post", "network alone", "decoder alone",
                "full, flip TTA");
        for (SizeFigures f : figures) {
            System.out.printf(Locale.ROOT, "  %-9s %7d %9.1f %12.1f %9.1f %6.1f %12.1f %6.1f %14.1f %14.1f %9.1f (x%.2f)%n",
                    f.size(), f.windows(), f.fullMs(), f.editMs(), f.encodeMs(), f.textMs(), f.decodeMs(), f.postMs(),
                    f.networkMs(), f.networkDecodeMs(), f.flipMs(), f.flipMs() / f.fullMs());
        }
    }

    /** Segments many images and samples the resident set size: it must stay flat. */
    private void memory(Segmenter s, PromptSet prompts, BufferedImage a) throws IOException {
        BufferedImage b = shifted(a);
        List<String> samples = new ArrayList<>();
        long first = 0;
        long last = 0;
        long peak = 0;
        long t0 = System.nanoTime();
        for (int i = 1; i <= memoryImages; i++) {
            s.segment((i & 1) == 0 ? a : b, prompts);
            if (i % Math.max(1, memoryImages / 10) == 0) {
                long rss = rssKb();
                if (first == 0) {
                    first = rss;
                }
                last = rss;
                peak = Math.max(peak, rss);
                samples.add(i + ": " + rss / 1024 + " MB");
            }
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  resident memory over %d images of 480x360 (%.1f images/s): %s%n", memoryImages,
                memoryImages / sec, String.join(", ", samples));
        System.out.printf("  growth from the first sample to the last: %+d MB (peak %d MB)%n", (last - first) / 1024,
                peak / 1024);
    }

    private static long rssKb() throws IOException {
        return statusKb("VmRSS:");
    }

    /** A memory field of /proc/self/status in kB (VmRSS:, VmHWM:, ...); off Linux, the Java heap only. */
    static long statusKb(String field) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return Runtime.getRuntime().totalMemory() / 1024; // not Linux: the Java heap only
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    /** Runs the PyTorch eager twin on the same model and prints DJL/PyTorch ratios. */
    private void torchComparison(List<EngineFigures> all) throws IOException, InterruptedException {
        if (torchScript == null || !Files.isRegularFile(torchScript)) {
            System.out.println("  PyTorch eager comparison skipped: " + torchScript + " not found (it ships with the"
                    + " source tree, not the installers)");
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(python, torchScript.toString(), "bench", "--model",
                model.toAbsolutePath().toString(), "--runs", Integer.toString(runs), "--threads",
                Integer.toString(Runtime.getRuntime().availableProcessors()), "--json", "--sizes",
                String.join(",", all.getFirst().sizes().stream().map(SizeFigures::size).toList())));
        Path log = Files.createTempFile("seglight-torch", ".json");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectOutput(log.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            System.out.println("  PyTorch eager comparison skipped: cannot run " + python + " (" + e.getMessage() + ")");
            return;
        }
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            System.out.println("  PyTorch eager comparison failed (is python3-torch installed?): "
                    + Files.readString(log, StandardCharsets.UTF_8).strip());
            return;
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        JsonObject json = JsonParser.parseString(out.substring(out.indexOf('{'))).getAsJsonObject();
        System.out.printf("%n  PyTorch %s eager, same weights, %s threads (ratio = Seglight time / PyTorch time, < 1"
                + " means Seglight is faster):%n", json.get("torch_version").getAsString(),
                json.get("threads").getAsString());
        System.out.printf("  %-9s %-7s %10s %10s %7s %14s %14s %7s%n", "size", "engine", "full", "torch full", "ratio",
                "prompt-edit", "torch p-edit", "ratio");
        JsonObject bySize = json.getAsJsonObject("sizes");
        for (EngineFigures e : all) {
            for (SizeFigures f : e.sizes()) {
                JsonObject t = bySize.getAsJsonObject(f.size());
                if (t == null) {
                    continue;
                }
                double tf = t.get("full_ms").getAsDouble();
                double te = t.get("prompt_edit_ms").getAsDouble();
                System.out.printf(Locale.ROOT, "  %-9s %-7s %10.1f %10.1f %7.2f %14.1f %14.1f %7.2f%n", f.size(),
                        short_(e.engine()), f.fullMs(), tf, f.fullMs() / tf, f.editMs(), te, f.editMs() / te);
            }
        }
    }

    /** A street-like synthetic picture (sky, facades, road, texture), deterministic per seed. */
    static BufferedImage scene(int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int n = r.nextInt(24);
                int rgb;
                if (y < h * 0.3) {
                    rgb = (150 + n) << 16 | (180 + n) << 8 | 230;
                } else if (y < h * 0.6) {
                    int c = (x / 37 % 2) * 40 + 90 + n;
                    rgb = c << 16 | (c * 3 / 4) << 8 | (c / 2);
                } else {
                    int g = 80 + n;
                    rgb = g << 16 | g << 8 | g;
                }
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    private static BufferedImage resize(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** The same picture shifted by one pixel: other content, same difficulty. */
    private static BufferedImage shifted(BufferedImage a) {
        BufferedImage b = new BufferedImage(a.getWidth(), a.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = b.createGraphics();
        g.drawImage(a, 1, 0, null);
        g.dispose();
        return b;
    }

    static double median(double[] v) {
        return NetworkTiming.median(v);
    }
}

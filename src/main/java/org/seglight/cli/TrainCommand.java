package org.seglight.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.seglight.train.SegmentationDataset;
import org.seglight.train.TrainConfig;
import org.seglight.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seglight train}: trains a model from a config and a dataset folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model (docs/NETWORK.md §4, §8). Ctrl-C stops after the current batch with a "
                + "checkpoint.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "training config JSON")
    Path config;

    @Option(names = "--data", required = true, description = "dataset folder (list files or images/ + labels/)")
    Path data;

    @Option(names = "--out", required = true, description = "output folder: model.seglight, last.seglight, log")
    Path out;

    @Option(names = "--resume", description = "continue from a checkpoint (last.seglight of an earlier run)")
    Path resume;

    @Option(names = "--init", description = "start from this model's weights (fine-tune; fresh optimizer and "
            + "schedule) instead of the config's ImageNet encoder; classes are matched by name, new ones start "
            + "from the nearest class by text")
    Path init;

    @Option(names = "--iterations", description = "override the config's iteration count")
    Integer iterations;

    @Option(names = "--seed", description = "override the config's random seed (weights, crops, batch order)")
    Long seed;

    @Option(names = "--include-damaged", description = "train also on pairs whose image file is damaged (it "
            + "decodes only in part), as read; by default they are left out and named")
    boolean includeDamaged;

    @Override
    public Integer call() throws Exception {
        TrainConfig cfg = TrainConfig.read(config);
        if (iterations != null) {
            cfg.iterations = iterations;
        }
        if (seed != null) {
            cfg.seed = seed;
        }
        Path configDir = config.toAbsolutePath().getParent();
        System.err.println(NativeHeap.describe());
        ConsoleProgress progress = new ConsoleProgress(System.err, 10_000).cancelOnInterrupt(Thread.currentThread());
        Trainer.Summary s;
        try {
            s = new Trainer(cfg, configDir, out).run(data, resume, init, includeDamaged, progress);
        } finally {
            progress.finish();
        }
        System.out.printf("%s after %d iterations (%.0f s): %s%n", s.cancelled() ? "Stopped" : "Finished",
                s.iterations(), s.seconds(), s.model());
        if (s.lastEval() != null) {
            System.out.printf("  val mIoU %.2f, pixel accuracy %.2f%n", 100 * s.lastEval().miou(),
                    100 * s.lastEval().pixelAccuracy());
        }
        if (s.best() != null) {
            System.out.println("  best model: " + s.best());
        }
        if (!s.damaged().isEmpty()) {
            System.out.println(damagedLine(s.damaged(), s.damagedIncluded(), "trained on"));
        }
        return s.cancelled() ? 130 : 0;
    }

    /** One line on the damaged images of a run: left out (and how to use them) or used as read, each named. */
    static String damagedLine(List<SegmentationDataset.Damaged> damaged, boolean included, String verb) {
        String list = String.join("; ", damaged.stream().map(SegmentationDataset.Damaged::toString).toList());
        return included ? "  " + damaged.size() + " damaged image(s) " + verb + " as read: " + list
                : "  " + damaged.size() + " damaged image(s) left out (--include-damaged uses what was read): "
                        + list;
    }
}

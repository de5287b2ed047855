package org.seglight.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seglight.io.Safetensors;
import org.seglight.model.Checkpoint;
import org.seglight.model.Weights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seglight weights export|import}: weights as safetensors under the names of docs/NETWORK.md §5.1. */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = "Export or import a model's weights as safetensors (parameter names: docs/NETWORK.md §5.1).",
        subcommands = {WeightsCommand.Export.class, WeightsCommand.Import.class})
final class WeightsCommand {

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the weights as safetensors.")
    static final class Export implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "model file")
        Path model;

        @Option(names = "--out", required = true, description = "safetensors file to write")
        Path out;

        @Override
        public Integer call() throws Exception {
            Checkpoint.Contents c = Checkpoint.read(model);
            Safetensors.write(out, c.weights(), Map.of("config", c.config().toJson()));
            System.out.printf("Wrote %d tensors to %s%n", c.weights().size(), out);
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Replace a model's weights with a safetensors file and write a new model file.")
    static final class Import implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "model file whose config and classes to keep")
        Path model;

        @Option(names = "--weights", required = true, description = "safetensors file")
        Path weights;

        @Option(names = "--out", required = true, description = "model file to write")
        Path out;

        @Override
        public Integer call() throws Exception {
            Checkpoint.Contents c = Checkpoint.read(model);
            Map<String, Safetensors.Tensor> tensors = Safetensors.read(weights).tensors();
            try (NDManager manager = NDManager.newBaseManager("PyTorch");
                    Checkpoint.Loaded loaded = Checkpoint.load(model, manager.newSubManager())) {
                Weights.load(loaded.network().parameters(), tensors); // refuses what does not fit, by name
                Checkpoint.save(out, loaded.network(), c.prompts(), c.textEncoderId(), c.textEmbeddings(), c.card());
            }
            System.out.printf("Wrote %s with %d tensors from %s%n", out, tensors.size(), weights);
            return 0;
        }
    }
}

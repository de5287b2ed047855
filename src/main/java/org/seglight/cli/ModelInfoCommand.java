package org.seglight.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seglight.model.ModelConfig;
import org.seglight.model.ModelReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code seglight model-info}: trainable parameters and GMACs per component. */
@Command(name = "model-info", mixinStandardHelpOptions = true,
        description = "Print trainable parameters and GMACs (conv, linear, matmul) per component.")
final class ModelInfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    NetworkOptions network;

    @Option(names = "--classes", defaultValue = "150", description = "number of classes K (default: ${DEFAULT-VALUE})")
    int classes;

    @Option(names = "--size", defaultValue = "512x512", description = "input WxH (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--embed-dim", description = "joint dimension C (default: the preset's, 512 paper, 384 lite)")
    Integer embedDim;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        int[] wh = CliSupport.parseSize(size);
        ModelConfig config = network.config(classes, embedDim == null ? 0 : embedDim);
        ModelReport.Report report = ModelReport.measure(config, wh[0], wh[1]);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("preset", network.preset);
            obj.put("variant", config.variant().id());
            obj.put("classes", classes);
            obj.put("width", report.width());
            obj.put("height", report.height());
            obj.put("parameters", report.parameters());
            obj.put("gmacs", report.macs() / 1e9);
            obj.put("components", report.rows().stream().map(r -> Map.of("component", r.component(),
                    "parameters", r.parameters(), "gmacs", r.macs() / 1e9)).toList());
            obj.put("config", JsonParser.parseString(config.toJson()));
            out.println(new GsonBuilder().setPrettyPrinting().create().toJson(obj));
        } else {
            out.printf("Seglight %s / %s, K=%d, C=%d, input %dx%d%n", network.preset, config.variant().id(), classes,
                    config.embedDim(), report.width(), report.height());
            out.printf("%-32s %14s %10s%n", "component", "parameters", "GMACs");
            List<ModelReport.Row> rows = report.rows();
            for (ModelReport.Row r : rows) {
                out.printf("%-32s %,14d %10.3f%n", r.component(), r.parameters(), r.macs() / 1e9);
            }
            out.printf("%-32s %,14d %10.3f%n", "trainable total", report.parameters(), report.macs() / 1e9);
        }
        out.flush();
        return 0;
    }
}

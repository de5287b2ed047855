package org.seglight.cli;

import com.google.gson.GsonBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.seglight.inference.ImageTensors;
import org.seglight.inference.OnnxGraphCache;
import org.seglight.model.Checkpoint;
import org.seglight.text.ClassPrompt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seglight export-onnx}: a model's network as two ONNX graphs (encode and decode) plus the class list
 * with its text embeddings, so the model runs in any ONNX runtime without Seglight.
 */
@Command(name = "export-onnx", mixinStandardHelpOptions = true,
        description = "Write a model as ONNX graphs: encoder.onnx (image -> features), decoder.onnx (features + text"
                + " embeddings -> logits, score maps, attention), classes.json (names, prompts, embeddings) and"
                + " source.sha256. Written to MODEL.onnx beside the model, Seglight starts from them.")
final class ExportOnnxCommand implements Callable<Integer> {

    @Option(names = "--model", description = "model file (default: the shipped default model)")
    Path model;

    @Option(names = "--out", required = true, description = "folder to write into (created if missing)")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path file = CliSupport.modelOrDefault(model);
        Files.createDirectories(out);
        Checkpoint.Contents contents = Checkpoint.read(file);
        OnnxGraphCache.Graphs graphs = OnnxGraphCache.build(file, contents);
        Files.write(out.resolve("encoder.onnx"), graphs.encoder());
        Files.write(out.resolve("decoder.onnx"), graphs.decoder());
        Files.writeString(out.resolve("classes.json"), classes(contents), StandardCharsets.UTF_8);
        // What the graphs were written from: Seglight uses graphs beside a model (in MODEL.onnx/) only when
        // this matches the model file.
        Files.writeString(out.resolve("source.sha256"), OnnxGraphCache.key(file) + "\n", StandardCharsets.UTF_8);
        System.out.printf("Wrote %s: encoder.onnx (%.1f MB), decoder.onnx (%.1f MB), classes.json (%d classes)%n",
                out, graphs.encoder().length / 1e6, graphs.decoder().length / 1e6, contents.prompts().size());
        System.out.println("Input: image (1, 3, H, W), RGB, (value - mean) / std with mean "
                + java.util.Arrays.toString(ImageTensors.MEAN) + " and std " + java.util.Arrays.toString(
                ImageTensors.STD) + ", H and W padded to multiples of 32. The decoder's 'text' input is"
                + " classes.json's embeddings in order; 'logits' upsampled x4 (bilinear, half-pixel), argmax over"
                + " axis 1, is the mask.");
        return 0;
    }

    private static String classes(Checkpoint.Contents c) {
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("model", c.card().name());
        obj.put("variant", c.config().variant().id());
        obj.put("text_encoder", c.textEncoderId());
        obj.put("normalisation", Map.of("mean", ImageTensors.MEAN, "std", ImageTensors.STD, "order", "RGB"));
        List<Map<String, Object>> classes = new ArrayList<>();
        for (int k = 0; k < c.prompts().size(); k++) {
            ClassPrompt p = c.prompts().classes().get(k);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("index", k);
            e.put("name", p.name());
            e.put("prompt", p.prompt());
            e.put("color", String.format("#%06x", p.rgb() & 0xffffff));
            if (c.textEmbeddings() != null && k < c.textEmbeddings().length) {
                e.put("embedding", c.textEmbeddings()[k]);
            }
            classes.add(e);
        }
        obj.put("classes", classes);
        return new GsonBuilder().setPrettyPrinting().create().toJson(obj);
    }
}

package org.seglight.text;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a text encoder's files are and how to call it, so a user's CLIP text tower (ONNX or TorchScript plus
 * its {@code tokenizer.json}) plugs in with no code change.
 *
 * @param id identifier stored with embeddings
 * @param model path to a {@code .onnx} or TorchScript {@code .pt} file
 * @param tokenizer path to the HuggingFace {@code tokenizer.json}
 * @param inputNames the model's inputs in order, from {@code input_ids}, {@code attention_mask},
 *     {@code token_type_ids}
 * @param pooling how token features become one vector
 * @param normalize L2-normalise the result
 * @param maxLength longest token sequence; longer prompts are truncated
 */
public record TextEncoderSpec(String id, Path model, Path tokenizer, List<String> inputNames, Pooling pooling,
        boolean normalize, int maxLength) {

    public static final List<String> KNOWN_INPUTS = List.of("input_ids", "attention_mask", "token_type_ids");

    public TextEncoderSpec {
        if (inputNames == null || inputNames.isEmpty()) {
            throw new IllegalArgumentException("Name at least one model input (e.g. input_ids)");
        }
        for (String n : inputNames) {
            if (!KNOWN_INPUTS.contains(n)) {
                throw new IllegalArgumentException("Unknown text encoder input '" + n + "'; expected one of "
                        + KNOWN_INPUTS);
            }
        }
        inputNames = List.copyOf(inputNames);
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be at least 2");
        }
    }

    /** The engine that runs the model file: OnnxRuntime for {@code .onnx}, PyTorch otherwise. */
    public String engine() {
        return model != null && model.getFileName().toString().endsWith(".onnx") ? "OnnxRuntime" : "PyTorch";
    }
}

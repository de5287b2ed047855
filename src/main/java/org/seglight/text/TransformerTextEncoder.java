package org.seglight.text;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * A transformer text encoder run through DJL: a HuggingFace tokenizer, an ONNX (OnnxRuntime engine) or
 * TorchScript (PyTorch engine) model, then pooling and optional L2 normalisation.
 *
 * <p>The default is all-MiniLM-L6-v2 (int8 ONNX) read from the resources of the langchain4j jar, so it
 * works offline with nothing to download. Not thread-safe: {@link #embed} is synchronized.
 */
public final class TransformerTextEncoder implements TextEncoder {

    /** Identifier of the default encoder. */
    public static final String MINILM_ID = "all-MiniLM-L6-v2-q";
    private static final String MINILM_MODEL = "/all-minilm-l6-v2-q.onnx";
    private static final String MINILM_TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";

    private final String id;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final HuggingFaceTokenizer tokenizer;
    private final List<String> inputNames;
    private final Pooling pooling;
    private final boolean normalize;
    private int dimension = -1;

    private TransformerTextEncoder(String id, Model model, HuggingFaceTokenizer tokenizer, List<String> inputNames,
            Pooling pooling, boolean normalize) {
        this.id = id;
        this.model = model;
        this.predictor = model.newPredictor(new NoopTranslator());
        this.tokenizer = tokenizer;
        this.inputNames = inputNames;
        this.pooling = pooling;
        this.normalize = normalize;
    }

    /**
     * ONNX Runtime sessions share the environment's one thread pool (as the segmentation network's do): a
     * session with a pool of its own keeps its threads spinning after a prompt is encoded, and on a small CPU
     * they slow the network that runs next by half.
     */
    private static final Map<String, String> ORT_OPTIONS = Map.of("disablePerSessionThreads", "true");

    /** The default encoder: all-MiniLM-L6-v2 int8, mean pooling, L2 normalised, 384-d. */
    public static TransformerTextEncoder miniLm() {
        System.setProperty("ai.djl.offline", "true");
        try (InputStream tok = resource(MINILM_TOKENIZER); InputStream onnx = resource(MINILM_MODEL)) {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tok, tokenizerOptions(128));
            Model model = Model.newInstance("minilm", "OnnxRuntime");
            model.load(onnx, ORT_OPTIONS);
            return new TransformerTextEncoder(MINILM_ID, model, tokenizer,
                    List.of("input_ids", "attention_mask", "token_type_ids"), Pooling.MEAN, true);
        } catch (IOException | MalformedModelException e) {
            throw new IllegalStateException("The built-in MiniLM text encoder could not be loaded: " + e.getMessage(),
                    e);
        }
    }

    /** An encoder from user files (e.g. a CLIP text tower exported to ONNX or TorchScript). */
    public static TransformerTextEncoder fromFiles(TextEncoderSpec spec) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        if (!Files.isRegularFile(spec.model())) {
            throw new IOException("Text encoder model not found: " + spec.model());
        }
        if (!Files.isRegularFile(spec.tokenizer())) {
            throw new IOException("Tokenizer not found: " + spec.tokenizer());
        }
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(spec.tokenizer(),
                tokenizerOptions(spec.maxLength()));
        Model model = Model.newInstance(spec.id(), spec.engine());
        try {
            model.load(spec.model(), null, spec.engine().equals("OnnxRuntime") ? ORT_OPTIONS : Map.of());
        } catch (MalformedModelException | IOException e) {
            model.close();
            tokenizer.close();
            throw new IOException("Could not load text encoder " + spec.model() + ": " + e.getMessage(), e);
        }
        return new TransformerTextEncoder(spec.id(), model, tokenizer, spec.inputNames(), spec.pooling(),
                spec.normalize());
    }

    private static Map<String, String> tokenizerOptions(int maxLength) {
        return Map.of("padding", "false", "truncation", "true", "maxLength", Integer.toString(maxLength));
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = TransformerTextEncoder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource " + name + " is missing from the class path");
        }
        return in;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public synchronized int dimension() {
        if (dimension < 0) {
            dimension = embedOne("a").length;
        }
        return dimension;
    }

    @Override
    public synchronized float[][] embed(List<String> prompts) {
        float[][] out = new float[prompts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = embedOne(prompts.get(i));
        }
        return out;
    }

    private float[] embedOne(String prompt) {
        Encoding enc = tokenizer.encode(prompt);
        long[] ids = enc.getIds();
        long[] mask = enc.getAttentionMask();
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList inputs = new NDList();
            for (String name : inputNames) {
                long[] values = switch (name) {
                    case "input_ids" -> ids;
                    case "attention_mask" -> mask;
                    default -> enc.getTypeIds();
                };
                NDArray a = m.create(values).reshape(1, values.length); // (1, L)
                a.setName(name);
                inputs.add(a);
            }
            NDArray features = predictor.predict(inputs).get(0); // (1, L, D) or (1, D)
            float[] flat = features.toFloatArray();
            long[] shape = features.getShape().getShape();
            float[] pooled = pool(flat, shape, ids, mask);
            if (normalize) {
                double norm = 0;
                for (float v : pooled) {
                    norm += v * v;
                }
                float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
                for (int i = 0; i < pooled.length; i++) {
                    pooled[i] *= inv;
                }
            }
            return pooled;
        } catch (TranslateException e) {
            throw new IllegalStateException("The text encoder failed on '" + prompt + "': " + e.getMessage(), e);
        }
    }

    private float[] pool(float[] flat, long[] shape, long[] ids, long[] mask) {
        if (shape.length == 2 || pooling == Pooling.NONE) {
            int d = (int) shape[shape.length - 1];
            float[] v = new float[d];
            System.arraycopy(flat, 0, v, 0, d);
            return v;
        }
        int len = (int) shape[1];
        int d = (int) shape[2];
        float[] v = new float[d];
        switch (pooling) {
            case MEAN -> {
                int count = 0;
                for (int t = 0; t < len; t++) {
                    if (mask[t] == 0) {
                        continue;
                    }
                    count++;
                    for (int c = 0; c < d; c++) {
                        v[c] += flat[t * d + c];
                    }
                }
                for (int c = 0; c < d; c++) {
                    v[c] /= Math.max(count, 1);
                }
            }
            case CLS -> System.arraycopy(flat, 0, v, 0, d);
            default -> {
                int eot = 0;
                for (int t = 1; t < ids.length; t++) {
                    if (ids[t] > ids[eot]) {
                        eot = t;
                    }
                }
                System.arraycopy(flat, eot * d, v, 0, d);
            }
        }
        return v;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
        tokenizer.close();
    }
}

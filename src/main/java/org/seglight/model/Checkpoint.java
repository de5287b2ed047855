package org.seglight.model;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.seglight.io.AtomicFile;
import org.seglight.io.Safetensors;
import org.seglight.text.ClassPrompt;
import org.seglight.text.PromptSet;

/**
 * A Seglight model file (docs/NETWORK.md §5.1): one zip holding the config, the weights (safetensors), the
 * class prompts, their text embeddings and a model card.
 *
 * <p>Each entry is deflated with a CRC, so corruption anywhere is detected on load; every entry is checked
 * against the network it rebuilds, and a bad file is refused with a message that says what is wrong.
 */
public final class Checkpoint {

    public static final String FORMAT = "seglight-model";
    public static final int VERSION = 1;
    public static final String EXTENSION = ".seglight";

    private static final String MANIFEST = "seglight.json";
    private static final String CONFIG = "config.json";
    private static final String WEIGHTS = "weights.safetensors";
    private static final String CLASSES = "classes.json";
    private static final String EMBEDDINGS = "text_embeddings.safetensors";
    private static final String CARD = "model_card.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /**
     * Everything a model file holds, as plain values.
     *
     * @param textEmbeddings (K, C), one row per class prompt; empty for the fpn variant
     */
    public record Contents(ModelConfig config, Map<String, Safetensors.Tensor> weights, PromptSet prompts,
            String textEncoderId, float[][] textEmbeddings, ModelCard card) {

        /** Whether this is a base for learning: an image encoder without a decoder, which cannot segment. */
        public boolean isLearningBase() {
            return !weights.containsKey("head.cls.weight");
        }
    }

    private record ClassesJson(String textEncoder, List<ClassJson> classes) {}

    private record ClassJson(String name, String template, String prompt, String color) {}

    /** Writes a model file atomically (a temporary file renamed into place). */
    public static void save(Path file, SeglightNetwork network, PromptSet prompts, String textEncoderId,
            float[][] textEmbeddings, ModelCard card) throws IOException {
        save(file, new Contents(network.config(), Weights.export(network.parameters()), prompts, textEncoderId,
                textEmbeddings, card));
    }

    public static void save(Path file, Contents c) throws IOException {
        validate(c);
        AtomicFile.write(file, tmp -> writeZip(tmp, c));
    }

    private static void writeZip(Path tmp, Contents c) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
            JsonObject manifest = new JsonObject();
            manifest.addProperty("format", FORMAT);
            manifest.addProperty("version", VERSION);
            putText(zip, MANIFEST, GSON.toJson(manifest));
            putText(zip, CONFIG, c.config().toJson());
            zip.putNextEntry(new ZipEntry(WEIGHTS));
            Safetensors.write(nonClosing(zip), c.weights(), Map.of("format", FORMAT));
            zip.closeEntry();
            List<ClassJson> classes = new ArrayList<>();
            for (ClassPrompt p : c.prompts().classes()) {
                classes.add(new ClassJson(p.name(), p.template(), p.prompt(),
                        p.rgb() < 0 ? null : String.format("#%06x", p.rgb())));
            }
            putText(zip, CLASSES, GSON.toJson(new ClassesJson(c.textEncoderId(), classes)));
            Map<String, Safetensors.Tensor> emb = new LinkedHashMap<>();
            if (c.textEmbeddings().length > 0) {
                emb.put("embeddings", new Safetensors.Tensor(
                        new long[] {c.textEmbeddings().length, c.textEmbeddings()[0].length},
                        TextEmbeddings.flatten(c.textEmbeddings())));
            }
            zip.putNextEntry(new ZipEntry(EMBEDDINGS));
            Safetensors.write(nonClosing(zip), emb, Map.of("text_encoder", String.valueOf(c.textEncoderId())));
            zip.closeEntry();
            putText(zip, CARD, GSON.toJson(c.card()));
        }
    }

    /**
     * Reads and checks a model file.
     *
     * @throws InvalidModelException with a user-safe reason when the file is missing, truncated, corrupt,
     *     from another program or does not fit its own config
     */
    public static Contents read(Path file) throws InvalidModelException {
        Map<String, byte[]> entries = new HashMap<>();
        String name = file.getFileName().toString();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (NoSuchFileException e) {
            throw new InvalidModelException("Model file not found: " + file);
        } catch (EOFException e) {
            throw new InvalidModelException(name + " is truncated: the file ends in the middle of its data");
        } catch (ZipException e) {
            throw new InvalidModelException(name + " is corrupt (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InvalidModelException("Cannot read " + name + ": " + e.getMessage());
        }
        if (entries.isEmpty()) {
            throw new InvalidModelException(name + " is not a Seglight model file");
        }
        for (String required : List.of(MANIFEST, CONFIG, WEIGHTS, CLASSES, EMBEDDINGS, CARD)) {
            if (!entries.containsKey(required)) {
                throw new InvalidModelException(name + " is incomplete or truncated: it has no " + required);
            }
        }
        try {
            JsonObject manifest = JsonParser.parseString(text(entries, MANIFEST)).getAsJsonObject();
            if (!manifest.has("format") || !FORMAT.equals(manifest.get("format").getAsString())) {
                throw new InvalidModelException(name + " is not a Seglight model file");
            }
            int version = manifest.get("version").getAsInt();
            if (version > VERSION) {
                throw new InvalidModelException(name + " was written by a newer Seglight (format " + version
                        + "); this version reads format " + VERSION);
            }
            ModelConfig config = ModelConfig.fromJson(text(entries, CONFIG));
            Map<String, Safetensors.Tensor> weights = Safetensors
                    .read(new ByteArrayInputStream(entries.get(WEIGHTS)), WEIGHTS).tensors();
            ClassesJson cj = GSON.fromJson(text(entries, CLASSES), ClassesJson.class);
            PromptSet prompts = prompts(cj);
            Map<String, Safetensors.Tensor> emb = Safetensors
                    .read(new ByteArrayInputStream(entries.get(EMBEDDINGS)), EMBEDDINGS).tensors();
            float[][] embeddings = new float[0][];
            if (emb.containsKey("embeddings")) {
                Safetensors.Tensor t = emb.get("embeddings");
                embeddings = TextEmbeddings.rows(t.data(), (int) t.shape()[0], (int) t.shape()[1]);
            }
            ModelCard card = GSON.fromJson(text(entries, CARD), ModelCard.class);
            Contents c = new Contents(config, weights, prompts, cj.textEncoder(), embeddings, card);
            validate(c);
            return c;
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException(name + " is damaged or does not match its config: " + e.getMessage());
        }
    }

    private static PromptSet prompts(ClassesJson cj) {
        List<ClassPrompt> classes = new ArrayList<>();
        for (ClassJson c : cj.classes()) {
            classes.add(new ClassPrompt(c.name(), c.template(),
                    c.color() == null ? -1 : Integer.parseInt(c.color().substring(1), 16)));
        }
        return new PromptSet(classes);
    }

    /**
     * Only the class prompts of a model file, read without inflating its weights (to ask which classes a model
     * has, as the choice of a base for learning does on the UI thread). {@link #read} checks the whole file.
     */
    public static PromptSet readPrompts(Path file) throws InvalidModelException {
        String name = file.getFileName().toString();
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            ZipEntry e = zip.getEntry(CLASSES);
            if (e == null) {
                throw new InvalidModelException(name + " is incomplete or truncated: it has no " + CLASSES);
            }
            try (var in = zip.getInputStream(e)) {
                return prompts(GSON.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        ClassesJson.class));
            }
        } catch (NoSuchFileException e) {
            throw new InvalidModelException("Model file not found: " + file);
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException(name + " is damaged: " + e.getMessage());
        }
    }

    /** A rebuilt network with what its file said about it; closing it frees the network. */
    public record Loaded(SeglightNetwork network, Contents contents) implements AutoCloseable {
        @Override
        public void close() {
            network.close();
        }
    }

    /**
     * Reads a model file and rebuilds its network.
     *
     * @param manager a manager the network takes ownership of (it decides the device)
     */
    public static Loaded load(Path file, NDManager manager) throws InvalidModelException {
        return load(read(file), file, manager);
    }

    /** Rebuilds the network of contents already {@link #read} from {@code file}. */
    public static Loaded load(Contents c, Path file, NDManager manager) throws InvalidModelException {
        requireSegmenting(c, file);
        SeglightNetwork net = new SeglightNetwork(c.config(), manager);
        try {
            Weights.load(net.parameters(), c.weights());
        } catch (IllegalArgumentException e) {
            net.close();
            throw new InvalidModelException(file.getFileName() + ": " + e.getMessage());
        }
        return new Loaded(net, c);
    }

    /** Refuses a learning base, which has no decoder and so cannot segment. */
    public static void requireSegmenting(Contents c, Path file) throws InvalidModelException {
        if (c.isLearningBase()) {
            throw new InvalidModelException(file.getFileName() + " is a base for learning (an image encoder without"
                    + " a decoder), so it cannot segment yet: learn from it first (Model > Learn from corrections,"
                    + " or seglight learn)");
        }
    }

    private static void validate(Contents c) {
        ModelConfig config = c.config();
        if (c.prompts().size() != config.numClasses()) {
            throw new IllegalArgumentException("the model has " + config.numClasses() + " classes but "
                    + c.prompts().size() + " class prompts");
        }
        if (config.variant().usesText()) {
            if (c.textEmbeddings().length != config.numClasses()) {
                throw new IllegalArgumentException("expected " + config.numClasses() + " text embeddings, found "
                        + c.textEmbeddings().length);
            }
            for (float[] row : c.textEmbeddings()) {
                if (row.length != config.embedDim()) {
                    throw new IllegalArgumentException("text embeddings must have " + config.embedDim()
                            + " dimensions, found " + row.length);
                }
            }
        }
    }

    private static String text(Map<String, byte[]> entries, String name) {
        return new String(entries.get(name), StandardCharsets.UTF_8);
    }

    private static void putText(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private Checkpoint() {}
}

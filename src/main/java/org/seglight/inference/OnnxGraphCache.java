package org.seglight.inference;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.seglight.io.UserDirs;
import org.seglight.model.Checkpoint;
import org.seglight.model.InvalidModelException;
import org.seglight.model.OnnxExport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ONNX graphs of model files, written once per model and kept in the user's data folder
 * ({@code onnx/<SHA-256 of the model file and the writer's version>/}), so a model opened again starts on
 * ONNX Runtime without loading libtorch or rebuilding its network. A changed file has another hash and gets
 * new graphs; the {@link #KEEP} most recently used models' graphs are kept; a folder that cannot be written
 * costs only the rebuild.
 *
 * <p>Graphs may also lie beside a model file, in {@code <model>.onnx/} with the key they were written for in
 * {@code source.sha256} ({@code seglight export-onnx} writes that; the installers ship the default model so),
 * and are then used as they are.
 */
public final class OnnxGraphCache {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxGraphCache.class);

    /** Graphs of one model, serialised; {@code cached} when they were read rather than built now. */
    public record Graphs(byte[] encoder, byte[] decoder, boolean cached) {}

    private OnnxGraphCache() {}

    /** The graphs of the model file whose contents are {@code contents}, from the cache or built now. */
    static Graphs graphs(Path modelFile, Checkpoint.Contents contents) throws InvalidModelException {
        String key = keyOrNull(modelFile); // the file is hashed once per open
        Graphs beside = key == null ? null : beside(modelFile, key);
        if (beside != null) {
            return beside;
        }
        Path dir = key == null ? null : root().resolve(key);
        if (dir != null) {
            try {
                Path enc = dir.resolve("encoder.onnx");
                Path dec = dir.resolve("decoder.onnx");
                if (Files.isRegularFile(enc) && Files.isRegularFile(dec)) {
                    Graphs g = new Graphs(Files.readAllBytes(enc), Files.readAllBytes(dec), true);
                    Files.setLastModifiedTime(dir, FileTime.fromMillis(System.currentTimeMillis()));
                    return g;
                }
            } catch (IOException e) {
                LOG.warn("The ONNX graph cache could not be read ({}); building the graphs", e.getMessage());
            }
        }
        return buildAndStore(modelFile, contents, dir);
    }

    /** The folder beside a model file where its graphs may have been written. */
    public static Path besideModel(Path modelFile) {
        return modelFile.resolveSibling(modelFile.getFileName() + ".onnx");
    }

    /** The graphs beside the model when they were written for exactly this file ({@code key}); else null. */
    private static Graphs beside(Path modelFile, String key) {
        Path dir = besideModel(modelFile);
        Path enc = dir.resolve("encoder.onnx");
        Path dec = dir.resolve("decoder.onnx");
        Path source = dir.resolve("source.sha256");
        if (!Files.isRegularFile(enc) || !Files.isRegularFile(dec) || !Files.isRegularFile(source)) {
            return null;
        }
        try {
            if (!Files.readString(source).strip().equals(key)) {
                LOG.info("The ONNX graphs beside {} were written for another file; not used", modelFile.getFileName());
                return null;
            }
            return new Graphs(Files.readAllBytes(enc), Files.readAllBytes(dec), true);
        } catch (IOException e) {
            LOG.warn("The ONNX graphs beside {} could not be read ({})", modelFile.getFileName(), e.getMessage());
            return null;
        }
    }

    /** Builds the graphs again and replaces the cached ones (which did not load). */
    static Graphs rebuild(Path modelFile, Checkpoint.Contents contents) throws InvalidModelException {
        String key = keyOrNull(modelFile);
        return buildAndStore(modelFile, contents, key == null ? null : root().resolve(key));
    }

    /** The model file's key, or null (and no cache) when the file cannot be hashed. */
    private static String keyOrNull(Path modelFile) {
        try {
            return key(modelFile);
        } catch (IOException e) {
            LOG.warn("The ONNX graph cache is not used for {} ({})", modelFile.getFileName(), e.getMessage());
            return null;
        }
    }

    private static Graphs buildAndStore(Path modelFile, Checkpoint.Contents contents, Path dir)
            throws InvalidModelException {
        Graphs built = build(modelFile, contents);
        if (dir != null) {
            try {
                Files.createDirectories(dir);
                write(dir.resolve("encoder.onnx"), built.encoder());
                write(dir.resolve("decoder.onnx"), built.decoder());
                prune(dir.getParent(), KEEP);
            } catch (IOException e) {
                LOG.warn("The ONNX graphs of {} could not be cached in {} ({}); they are built again next time",
                        modelFile.getFileName(), dir, e.getMessage());
            }
        }
        return built;
    }

    /** Builds the graphs from the model's weights on DJL (the only step of the ONNX path that needs libtorch). */
    public static Graphs build(Path modelFile, Checkpoint.Contents contents) throws InvalidModelException {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                Checkpoint.Loaded loaded = Checkpoint.load(contents, modelFile, m.newSubManager())) {
            String name = contents.card().name();
            return new Graphs(OnnxExport.encoder(loaded.network(), name), OnnxExport.decoder(loaded.network(), name),
                    false);
        }
    }

    /**
     * How many models' graphs are kept: training evaluates a new checkpoint file again and again, and each
     * would otherwise leave its graphs behind.
     */
    static final int KEEP = 16;

    /** Deletes all but the {@code keep} most recently used entries. */
    static void prune(Path root, int keep) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(root)) {
            entries = s.filter(Files::isDirectory).sorted(Comparator.comparing(OnnxGraphCache::lastUsed).reversed())
                    .toList();
        }
        for (Path old : entries.subList(Math.min(keep, entries.size()), entries.size())) {
            try (Stream<Path> files = Files.list(old)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(old);
        }
    }

    private static FileTime lastUsed(Path dir) {
        try {
            return Files.getLastModifiedTime(dir);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    static Path root() {
        String override = System.getProperty("seglight.onnx.cache");
        return override != null && !override.isBlank() ? Path.of(override) : UserDirs.data().resolve("onnx");
    }

    /** The key of a model file's graphs: SHA-256 over the writer's version and the file's bytes, in hex. */
    public static String key(Path modelFile) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("seglight-onnx-" + OnnxExport.WRITER_VERSION + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try (InputStream in = Files.newInputStream(modelFile)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static void write(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

package org.seglight.annotation;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.seglight.io.AtomicFile;
import org.seglight.io.MaskWriter;
import org.seglight.io.UserDirs;
import org.seglight.mask.LabelMask;
import org.seglight.text.ClassPrompt;
import org.seglight.text.PromptSet;

/**
 * Keeps the annotation of each image on disk while it is edited, so the work survives a crash or a closed window.
 *
 * <p>Each image gets a pair: {@code <image file name>.mask.png} (an indexed PNG whose palette holds the class
 * colours) and {@code <image file name>.json} (size, classes and the model slots they read, state, time of
 * saving). Each file is written atomically, the PNG first and the JSON last, so a JSON beside its PNG means a
 * complete save, and a PNG alone is a first save cut short, which is ignored. The pairs live in {@code .seglight/} beside the images, or in the
 * user's data folder when the image folder cannot be written (a CD, a shared read-only folder). The folder's
 * class table ({@link ProjectFile}) lives in the same place.
 *
 * <p>Reading never creates anything; the store's folder appears with its first write.
 */
public final class AnnotationStore {

    /**
     * A complete save of one image's annotation.
     *
     * @param slots for each class, the model slot it read when saved, or {@link ProjectClass#PAINTED} (a class
     *     painted by hand, or a save from before slots were kept); lets a renamed class follow its slot
     */
    public record Saved(LabelMask mask, PromptSet classes, List<Integer> slots, AnnotationState state,
            Instant saved) {

        public Saved {
            slots = List.copyOf(slots);
            if (slots.size() != classes.size()) {
                throw new IllegalArgumentException(classes.size() + " classes need as many slots, got "
                        + slots.size());
            }
        }

        /**
         * The saved mask in the labels of the current class table, matched by name (and slot, see
         * {@link ClassMatch}).
         *
         * @throws IOException when the mask has pixels of classes the table no longer has: the user decides
         *     what they become by opening the image
         */
        public LabelMask inTable(List<String> names, List<Integer> tableSlots) throws IOException {
            ClassMatch match = ClassMatch.of(classes.names(), slots, names, tableSlots);
            List<String> missing = match.missingPresent(mask);
            if (!missing.isEmpty()) {
                throw new IOException("its saved mask has classes the table no longer has (" + String.join(", ",
                        missing) + "); open it to decide what they become");
            }
            return match.apply(mask, LabelMask.VOID);
        }

        /** A save whose classes read no model slot. */
        public Saved(LabelMask mask, PromptSet classes, AnnotationState state, Instant saved) {
            this(mask, classes, painted(classes.size()), state, saved);
        }
    }

    private static final String FOLDER = ".seglight";
    private static final String MASK_SUFFIX = ".mask.png";
    private static final String JSON_SUFFIX = ".json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Path root;
    private final boolean besideImages;
    /** For a store chosen by {@link #forFolder}: the {@code .seglight/} folder beside the images. */
    private final Path beside;
    /** For a fallback store chosen by {@link #forFolder}: why the saves cannot go beside the images. */
    private final String besideProblem;

    private AnnotationStore(Path root, boolean besideImages, Path beside, String besideProblem) {
        this.root = root;
        this.besideImages = besideImages;
        this.beside = beside;
        this.besideProblem = besideProblem;
    }

    /**
     * The store for the images of a folder: {@code <imageFolder>/.seglight/} when that folder exists and can be
     * written, or does not exist and the image folder can be written; otherwise
     * {@code <per-user data>/autosave/<SHA-1 of the folder's absolute path>/} ({@link UserDirs#data()}).
     *
     * <p>Choosing creates nothing, so browsing a folder leaves it as it was: the store's folder is created by its
     * first write ({@link #save}, {@link #markExported}, {@link ProjectFile#write}), which is also where a store
     * that can be written nowhere says so, naming both places.
     *
     * @throws IOException declared for callers that handle a store that cannot be had; today every failure is
     *     reported by the first write instead
     */
    public static AnnotationStore forFolder(Path imageFolder) throws IOException {
        return forFolder(imageFolder, UserDirs.data().resolve("autosave"));
    }

    /** As {@link #forFolder(Path)}, with the fallback's parent folder given (for tests). */
    static AnnotationStore forFolder(Path imageFolder, Path fallbackBase) {
        Path folder = imageFolder.toAbsolutePath().normalize();
        Path beside = folder.resolve(FOLDER);
        String problem;
        if (Files.isDirectory(beside)) {
            problem = canCreateIn(beside) ? null : "permission denied";
        } else if (Files.exists(beside, LinkOption.NOFOLLOW_LINKS)) {
            problem = "a file of that name is in the way";
        } else if (!Files.isDirectory(folder)) {
            problem = "the image folder does not exist";
        } else {
            problem = canCreateIn(folder) ? null : "the image folder is read-only";
        }
        if (problem == null) {
            return new AnnotationStore(beside, true, beside, null);
        }
        Path fallback = fallbackBase.toAbsolutePath().normalize().resolve(sha1Hex(folder.toString()));
        return new AnnotationStore(fallback, false, beside, problem);
    }

    /** A store in the given folder, created by its first write. */
    public static AnnotationStore at(Path root) {
        Path dir = root.toAbsolutePath().normalize();
        return new AnnotationStore(dir, false, null, null);
    }

    /** The folder the saves are kept in. */
    public Path root() {
        return root;
    }

    /** Whether the saves are kept beside the images (in {@code .seglight/}) rather than in the user's folder. */
    public boolean isBesideImages() {
        return besideImages;
    }

    /** Saves an image's annotation, its classes reading no model slot. */
    public void save(Path image, LabelMask mask, PromptSet classes, AnnotationState state) throws IOException {
        save(image, mask, classes, painted(classes.size()), state);
    }

    /**
     * Saves an image's annotation: the mask PNG first, then the JSON that completes the pair.
     *
     * @param slots for each class, the model slot it reads, or {@link ProjectClass#PAINTED}
     */
    public void save(Path image, LabelMask mask, PromptSet classes, List<Integer> slots, AnnotationState state)
            throws IOException {
        String name = fileName(image);
        if (slots.size() != classes.size()) {
            throw new IllegalArgumentException(classes.size() + " classes need as many slots, got " + slots.size());
        }
        int[] colors = new int[classes.size()];
        List<ClassJson> classJson = new ArrayList<>();
        for (int k = 0; k < classes.size(); k++) {
            ClassPrompt c = classes.classes().get(k);
            colors[k] = classes.color(k);
            int slot = slots.get(k) == null || slots.get(k) < 0 ? ProjectClass.PAINTED : slots.get(k);
            classJson.add(new ClassJson(c.name(), c.template(), String.format("#%06X", colors[k] & 0xffffff), slot));
        }
        SaveJson json = new SaveJson(name, mask.width(), mask.height(), state.name(), classJson,
                Instant.now().toString());
        writableRoot();
        try {
            MaskWriter.writePng(MaskWriter.toIndexed(mask, colors), maskFile(name));
            AtomicFile.writeString(jsonFile(name), GSON.toJson(json));
        } catch (IOException e) {
            throw new IOException("Cannot save the annotation of " + name + " in " + root + ": " + reason(e), e);
        }
    }

    /**
     * The last complete save of an image's annotation; empty when there is none, or when the mask and its JSON do
     * not belong together (another size, another image, labels beyond the classes).
     *
     * @throws IOException when a saved file cannot be read or is corrupt; the message names it
     */
    public Optional<Saved> load(Path image) throws IOException {
        String name = fileName(image);
        Path json = jsonFile(name);
        Path png = maskFile(name);
        if (!Files.isRegularFile(json) || !Files.isRegularFile(png)) {
            return Optional.empty();
        }
        Meta meta = readMeta(json);
        LabelMask mask;
        try {
            mask = MaskWriter.readIndexed(png);
        } catch (IOException e) {
            throw new IOException("The saved mask " + png + " is corrupt or unreadable: " + reason(e), e);
        }
        if (!meta.image().equals(name) || mask.width() != meta.width() || mask.height() != meta.height()) {
            return Optional.empty();
        }
        long[] histogram = mask.histogram();
        for (int k = meta.classes().size(); k < LabelMask.VOID; k++) {
            if (histogram[k] > 0) {
                return Optional.empty();
            }
        }
        return Optional.of(new Saved(mask, meta.classes(), meta.slots(), meta.state(), meta.saved()));
    }

    /**
     * The state of an image's annotation from its JSON alone, cheap enough for a strip of thumbnails;
     * {@link AnnotationState#NONE} when nothing is saved, or when the save cannot be read ({@link #load} says why).
     */
    public AnnotationState state(Path image) {
        String name = fileName(image);
        Path json = jsonFile(name);
        if (!Files.isRegularFile(json) || !Files.isRegularFile(maskFile(name))) {
            return AnnotationState.NONE;
        }
        try {
            return readMeta(json).state();
        } catch (IOException e) {
            return AnnotationState.NONE;
        }
    }

    /**
     * Records that the image's saved annotation was exported; does nothing when nothing is saved (save with
     * {@link AnnotationState#EXPORTED} to record an export of an unsaved mask).
     */
    public void markExported(Path image) throws IOException {
        String name = fileName(image);
        Path json = jsonFile(name);
        if (!Files.isRegularFile(json)) {
            return;
        }
        SaveJson raw = readRaw(json);
        check(json, raw);
        SaveJson marked = new SaveJson(raw.image(), raw.width(), raw.height(), AnnotationState.EXPORTED.name(),
                raw.classes(), raw.saved());
        writableRoot();
        try {
            AtomicFile.writeString(json, GSON.toJson(marked));
        } catch (IOException e) {
            throw new IOException("Cannot update " + json + ": " + reason(e), e);
        }
    }

    /**
     * The store's folder, created if needed; for the first write of every kind, so that choosing a store creates
     * nothing.
     *
     * @throws IOException when it cannot be created; for a fallback store the message names both places
     */
    Path writableRoot() throws IOException {
        try {
            Files.createDirectories(root);
            return root;
        } catch (IOException e) {
            if (besideProblem == null) {
                throw new IOException("Cannot keep edits in " + root + " (" + reason(e) + ")", e);
            }
            throw new IOException("Cannot keep edits beside the images in " + beside + " (" + besideProblem
                    + ") nor in " + root + " (" + reason(e) + "): make one of them writable", e);
        }
    }

    private Path maskFile(String name) {
        return root.resolve(name + MASK_SUFFIX);
    }

    private Path jsonFile(String name) {
        return root.resolve(name + JSON_SUFFIX);
    }

    private static String fileName(Path image) {
        Path name = image.getFileName();
        if (name == null) {
            throw new IllegalArgumentException(image + " is not an image file");
        }
        return name.toString();
    }

    /** Reads and checks a save's JSON. */
    private static Meta readMeta(Path json) throws IOException {
        return check(json, readRaw(json));
    }

    /** Checks the values of a save's JSON. */
    private static Meta check(Path json, SaveJson raw) throws IOException {
        try {
            List<ClassPrompt> classes = new ArrayList<>();
            List<Integer> slots = new ArrayList<>();
            for (ClassJson c : raw.classes()) {
                if (c == null || c.name() == null || c.rgb() == null || !c.rgb().matches("#[0-9A-Fa-f]{6}")) {
                    throw corrupt(json, "a class lacks a name or a colour like #RRGGBB", null);
                }
                if (c.slot() != null && c.slot() < ProjectClass.PAINTED) {
                    throw corrupt(json, "the model slot of '" + c.name() + "' is " + c.slot(), null);
                }
                classes.add(new ClassPrompt(c.name(), c.template(), Integer.parseInt(c.rgb().substring(1), 16)));
                slots.add(c.slot() == null ? ProjectClass.PAINTED : c.slot()); // saves before slots were kept
            }
            return new Meta(raw.image(), raw.width(), raw.height(), AnnotationState.valueOf(raw.state()),
                    new PromptSet(classes), slots, Instant.parse(raw.saved()));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw corrupt(json, e.getMessage(), e);
        }
    }

    /** Reads a save's JSON, checking that its fields are there. */
    private static SaveJson readRaw(Path json) throws IOException {
        String text;
        try {
            text = Files.readString(json, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw corrupt(json, "not UTF-8 text", e);
        } catch (IOException e) {
            throw new IOException("Cannot read the saved annotation " + json + ": " + reason(e), e);
        }
        SaveJson raw;
        try {
            raw = GSON.fromJson(text, SaveJson.class);
        } catch (JsonParseException e) {
            throw corrupt(json, e.getMessage(), e);
        }
        if (raw == null || raw.image() == null || raw.state() == null || raw.classes() == null
                || raw.saved() == null || raw.width() < 1 || raw.height() < 1) {
            throw corrupt(json, "fields are missing", null);
        }
        return raw;
    }

    private static IOException corrupt(Path json, String why, Exception cause) {
        return new IOException("The saved annotation " + json + " is corrupt (" + why + ")", cause);
    }

    /**
     * Whether files can be created in an existing folder. {@link Files#isWritable} asks the system's permission
     * check, which is what POSIX systems enforce; elsewhere (Windows ACLs, network shares) it can say yes to a
     * folder that refuses files, so there a probe file is created and deleted again.
     */
    private static boolean canCreateIn(Path dir) {
        if (!Files.isWritable(dir)) {
            return false;
        }
        try {
            if (Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
                return true;
            }
        } catch (IOException e) {
            // The file system cannot be told (seen in a chroot, whose mounts the kernel lists under other paths):
            // try it instead.
        }
        return probe(dir);
    }

    /** Creates and deletes a file in {@code dir}; whether that worked. Leaves nothing behind. */
    static boolean probe(Path dir) {
        Path file = null;
        try {
            file = Files.createTempFile(dir, ".seglight-probe", ".tmp");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a folder that takes a new file but refuses to delete it: the probe file stays
                }
            }
        }
    }

    private static List<Integer> painted(int classes) {
        return Collections.nCopies(classes, ProjectClass.PAINTED);
    }

    private static String sha1Hex(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-1", e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** A save's JSON, checked. */
    private record Meta(String image, int width, int height, AnnotationState state, PromptSet classes,
            List<Integer> slots, Instant saved) {}

    /** A save's JSON as written. */
    private record SaveJson(String image, int width, int height, String state, List<ClassJson> classes,
            String saved) {}

    /** One class in a save's JSON; {@code slot} is missing from saves before slots were kept. */
    private record ClassJson(String name, String template, String rgb, Integer slot) {}
}

package org.seglight.annotation;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.seglight.io.AtomicFile;

/**
 * Reads and writes a folder's {@link Project} as {@code project.json} in the folder's {@link AnnotationStore}
 * (beside the autosaves, so a read-only folder keeps its project in the user's folder too).
 *
 * <p>The file is replaced atomically, so a crash leaves the old table or the new one. It names its version
 * first; a file from a newer Seglight is refused rather than half understood.
 */
public final class ProjectFile {

    /** The file's name in the store's folder. */
    public static final String NAME = "project.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls()
            .create();

    private ProjectFile() {}

    /** Where the project of the store's folder is kept. */
    public static Path path(AnnotationStore store) {
        return store.root().resolve(NAME);
    }

    /**
     * The project kept in the store; empty when there is none. Creates nothing.
     *
     * @throws IOException when the file cannot be read, is corrupt, or was written by a newer Seglight; the
     *     message names the file and says what is wrong
     */
    public static Optional<Project> read(AnnotationStore store) throws IOException {
        Path file = path(store);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (CharacterCodingException e) {
            throw corrupt(file, "not UTF-8 text", e);
        } catch (IOException e) {
            throw new IOException("Cannot read the project file " + file + ": " + e.getMessage(), e);
        }
        JsonObject object;
        try {
            JsonElement root = JsonParser.parseString(text);
            if (!root.isJsonObject()) {
                throw corrupt(file, "not a JSON object", null);
            }
            object = root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw corrupt(file, e.getMessage(), e);
        }
        int version = version(file, object);
        if (version > Project.VERSION) {
            throw new IOException("The project file " + file + " was written by a newer Seglight (project version "
                    + version + "; this one reads up to " + Project.VERSION + "): update Seglight to open it");
        }
        ProjectJson json;
        try {
            json = GSON.fromJson(object, ProjectJson.class);
        } catch (JsonParseException e) {
            throw corrupt(file, e.getMessage(), e);
        }
        if (json.classes() == null) {
            throw corrupt(file, "the class list is missing", null);
        }
        try {
            List<ProjectClass> classes = new ArrayList<>();
            for (ClassJson c : json.classes()) {
                if (c == null || c.name() == null || c.rgb() != null && !c.rgb().matches("#[0-9A-Fa-f]{6}")) {
                    throw corrupt(file, "a class lacks a name, or its colour is not like #RRGGBB", null);
                }
                int rgb = c.rgb() == null ? -1 : Integer.parseInt(c.rgb().substring(1), 16);
                classes.add(new ProjectClass(c.name(), c.template(), rgb, c.visible() == null || c.visible(),
                        c.slot() == null ? ProjectClass.PAINTED : c.slot(), Boolean.TRUE.equals(c.locked())));
            }
            return Optional.of(new Project(classes, json.model()));
        } catch (IllegalArgumentException e) {
            throw corrupt(file, e.getMessage(), e);
        }
    }

    /**
     * Keeps the project in the store, replacing the file atomically; creates the store's folder if needed.
     *
     * @throws IOException when it cannot be written; the message names the file
     */
    public static void write(AnnotationStore store, Project project) throws IOException {
        Path root = store.writableRoot();
        Path file = root.resolve(NAME);
        List<ClassJson> classes = project.classes().stream().map(c -> new ClassJson(c.name(), c.template(),
                c.rgb() < 0 ? null : String.format("#%06X", c.rgb()), c.visible(), c.slot(),
                c.locked() ? Boolean.TRUE : null)).toList();
        try {
            AtomicFile.writeString(file, GSON.toJson(new ProjectJson(project.version(), project.model(), classes)));
        } catch (IOException e) {
            throw new IOException("Cannot save the project file " + file + ": " + e.getMessage(), e);
        }
    }

    private static int version(Path file, JsonObject object) throws IOException {
        JsonElement v = object.get("version");
        if (v == null || !(v instanceof JsonPrimitive p) || !p.isNumber()) {
            throw corrupt(file, "the version is missing", null);
        }
        double d = p.getAsDouble();
        if (d != Math.rint(d) || d < 1) {
            throw corrupt(file, "the version " + p + " is not a whole number from 1", null);
        }
        return d > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) d;
    }

    private static IOException corrupt(Path file, String why, Exception cause) {
        return new IOException("The project file " + file + " is corrupt (" + why + "): fix or delete it", cause);
    }

    /** The file as written. */
    private record ProjectJson(int version, String model, List<ClassJson> classes) {}

    /** One class as written; a null colour is the default palette's; the boxed fields may be missing. */
    /** A class as project.json holds it; {@code locked} is written only when true, and absent reads false. */
    private record ClassJson(String name, String template, String rgb, Boolean visible, Integer slot,
            Boolean locked) {}
}

package org.seglight.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.seglight.mask.LabelMask;
import org.seglight.mask.PolygonFill;
import org.seglight.text.PromptSet;

/**
 * Writes label masks as a COCO JSON file of run-length-encoded annotations, and reads one image's mask back.
 *
 * <p>Each image gets one annotation per class present in it, {@code iscrowd: 1} with a compressed RLE
 * {@link CocoRle segmentation}, the form pycocotools and most labelling tools read for dense masks. Category
 * {@code id} is the class index + 1 (COCO reserves 0) and {@code seglight_index} the class index itself; void
 * pixels belong to no annotation. Masks are encoded as they are {@linkplain #add added}, so exporting a large
 * folder keeps only the short RLE strings in memory.
 */
public final class CocoWriter {

    /** One image's mask to write. */
    public record Entry(String fileName, LabelMask mask) {}

    private record Annotation(int classIndex, String counts, long area, int[] bbox) {}

    private record Image(String fileName, int width, int height, List<Annotation> annotations) {}

    private final PromptSet classes;
    private final List<Image> images = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    public CocoWriter(PromptSet classes) {
        this.classes = classes;
    }

    /** Writes the masks of several images in one go; see {@link #add} and {@link #write(Path)}. */
    public static void write(Path file, PromptSet classes, List<Entry> entries) throws IOException {
        CocoWriter writer = new CocoWriter(classes);
        for (Entry e : entries) {
            writer.add(e.fileName(), e.mask());
        }
        writer.write(file);
    }

    /**
     * Encodes an image's mask for writing.
     *
     * @throws IllegalArgumentException when the file name was added before, or the mask holds a label that is
     *     neither a class nor void
     */
    public void add(String fileName, LabelMask mask) {
        if (!names.add(fileName)) {
            throw new IllegalArgumentException("The image " + fileName + " was added twice");
        }
        long[] histogram = mask.histogram();
        List<Annotation> annotations = new ArrayList<>();
        for (int k = 0; k < LabelMask.VOID; k++) {
            if (histogram[k] == 0) {
                continue;
            }
            if (k >= classes.size()) {
                names.remove(fileName);
                throw new IllegalArgumentException("The mask of " + fileName + " has label " + k + ", but only "
                        + classes.size() + " classes are defined");
            }
            long[] counts = CocoRle.counts(mask, k);
            annotations.add(new Annotation(k, CocoRle.compress(counts), CocoRle.area(counts),
                    CocoRle.bbox(counts, mask.height())));
        }
        images.add(new Image(fileName, mask.width(), mask.height(), annotations));
    }

    /** The number of images added. */
    public int size() {
        return images.size();
    }

    /** Writes the COCO file atomically (a temporary file renamed into place). */
    public void write(Path file) throws IOException {
        AtomicFile.write(file, tmp -> {
            try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                    JsonWriter json = new JsonWriter(out)) {
                json.setIndent(" ");
                writeJson(json);
            }
        });
    }

    private void writeJson(JsonWriter json) throws IOException {
        json.beginObject();
        json.name("info").beginObject()
                .name("description").value("Exported by Seglight")
                .name("date_created").value(Instant.now().toString())
                .endObject();
        json.name("images").beginArray();
        for (int i = 0; i < images.size(); i++) {
            Image img = images.get(i);
            json.beginObject().name("id").value(i + 1).name("file_name").value(img.fileName())
                    .name("width").value(img.width()).name("height").value(img.height()).endObject();
        }
        json.endArray();
        json.name("annotations").beginArray();
        int id = 1;
        for (int i = 0; i < images.size(); i++) {
            Image img = images.get(i);
            for (Annotation a : img.annotations()) {
                json.beginObject().name("id").value(id++).name("image_id").value(i + 1)
                        .name("category_id").value(a.classIndex() + 1);
                json.name("segmentation").beginObject()
                        .name("size").beginArray().value(img.height()).value(img.width()).endArray()
                        .name("counts").value(a.counts()).endObject();
                json.name("area").value(a.area());
                json.name("bbox").beginArray();
                for (int v : a.bbox()) {
                    json.value(v);
                }
                json.endArray();
                json.name("iscrowd").value(1).endObject();
            }
        }
        json.endArray();
        json.name("categories").beginArray();
        for (int k = 0; k < classes.size(); k++) {
            json.beginObject().name("id").value(k + 1).name("name").value(classes.classes().get(k).name())
                    .name("seglight_index").value(k).endObject();
        }
        json.endArray();
        json.endObject();
    }

    /**
     * Rebuilds the mask of one image from a COCO file; pixels in no annotation are void, and where annotations
     * overlap the later one wins. A category's label is its {@code seglight_index} or, in files from other tools,
     * its position in the category list. Both compressed and uncompressed RLE and polygons are read.
     *
     * @throws IOException when the file cannot be read, is not valid COCO, or has no image of that name
     */
    public static LabelMask readMask(Path cocoJson, String fileName) throws IOException {
        JsonObject root;
        try (Reader in = Files.newBufferedReader(cocoJson, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(in).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(cocoJson.getFileName() + " is not a valid JSON file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException("Cannot read " + cocoJson + ": "
                    + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()), e);
        }
        try {
            return new CocoReader(root).mask(fileName);
        } catch (CocoFormatException e) {
            throw new IOException(cocoJson.getFileName() + ": " + e.getMessage(), e);
        } catch (IllegalStateException | UnsupportedOperationException | ClassCastException
                | IllegalArgumentException e) {
            throw new IOException(cocoJson.getFileName() + " is not a COCO file Seglight can read: "
                    + e.getMessage(), e);
        }
    }

    /** A problem with the content of a COCO file, described for the user. */
    private static final class CocoFormatException extends Exception {
        CocoFormatException(String message) {
            super(message);
        }
    }

    /** Finds one image in a parsed COCO tree and paints its annotations. */
    private record CocoReader(JsonObject root) {

        LabelMask mask(String fileName) throws CocoFormatException {
            JsonObject image = null;
            for (JsonElement e : array(root, "images", "the file")) {
                if (field(e.getAsJsonObject(), "file_name", "an image").getAsString().equals(fileName)) {
                    image = e.getAsJsonObject();
                    break;
                }
            }
            if (image == null) {
                throw new CocoFormatException("there is no image named " + fileName);
            }
            long imageId = field(image, "id", fileName).getAsLong();
            int width = field(image, "width", fileName).getAsInt();
            int height = field(image, "height", fileName).getAsInt();
            if (width < 1 || height < 1 || (long) width * height > ImageLoader.maxPixels()) {
                throw new CocoFormatException(fileName + " has an invalid size, " + width + "x" + height);
            }
            Map<Long, Integer> categories = categoryLabels();
            byte[] labels = new byte[width * height];
            Arrays.fill(labels, (byte) LabelMask.VOID);
            JsonArray annotations = root.has("annotations") ? array(root, "annotations", "the file")
                    : new JsonArray();
            for (JsonElement e : annotations) {
                JsonObject a = e.getAsJsonObject();
                if (field(a, "image_id", "an annotation").getAsLong() != imageId) {
                    continue;
                }
                String where = "annotation " + a.get("id");
                long categoryId = field(a, "category_id", where).getAsLong();
                Integer label = categories.get(categoryId);
                if (label == null) {
                    throw new CocoFormatException(where + " names category " + categoryId + ", which is not listed");
                }
                JsonElement segmentation = field(a, "segmentation", where);
                if (segmentation.isJsonArray()) {
                    paintPolygons(labels, width, height, segmentation.getAsJsonArray(), label);
                } else {
                    paintRle(labels, width, height, segmentation.getAsJsonObject(), label, where);
                }
            }
            return new LabelMask(width, height, labels);
        }

        private Map<Long, Integer> categoryLabels() throws CocoFormatException {
            Map<Long, Integer> labels = new HashMap<>();
            JsonArray categories = array(root, "categories", "the file");
            for (int i = 0; i < categories.size(); i++) {
                JsonObject c = categories.get(i).getAsJsonObject();
                long id = field(c, "id", "a category").getAsLong();
                int label = c.has("seglight_index") ? c.get("seglight_index").getAsInt() : i;
                if (label < 0 || label >= LabelMask.VOID) {
                    throw new CocoFormatException("category " + id + " would get label " + label
                            + "; at most 255 categories are supported");
                }
                labels.put(id, label);
            }
            return labels;
        }

        private static JsonElement field(JsonObject o, String name, String where) throws CocoFormatException {
            JsonElement e = o.get(name);
            if (e == null || e.isJsonNull()) {
                throw new CocoFormatException(where + " has no \"" + name + "\"");
            }
            return e;
        }

        private static JsonArray array(JsonObject o, String name, String where) throws CocoFormatException {
            JsonElement e = field(o, name, where);
            if (!e.isJsonArray()) {
                throw new CocoFormatException(where + " has no \"" + name + "\" list");
            }
            return e.getAsJsonArray();
        }

        /** Paints each polygon of an annotation (pixel centres inside, even-odd) into the labels. */
        private static void paintPolygons(byte[] labels, int width, int height, JsonArray polygons, int label) {
            for (JsonElement poly : polygons) {
                JsonArray coords = poly.getAsJsonArray();
                double[] xs = new double[coords.size() / 2];
                double[] ys = new double[coords.size() / 2];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = coords.get(2 * i).getAsDouble();
                    ys[i] = coords.get(2 * i + 1).getAsDouble();
                }
                PolygonFill.check(xs, ys);
                PolygonFill.fill(labels, width, PolygonFill.bounds(xs, ys, width, height), xs, ys, label);
            }
        }

        /** Paints an annotation's RLE (compressed or not) into the labels. */
        private static void paintRle(byte[] labels, int width, int height, JsonObject rle, int label,
                String where) throws CocoFormatException {
            JsonArray size = array(rle, "size", where);
            if (size.size() != 2 || size.get(0).getAsInt() != height || size.get(1).getAsInt() != width) {
                throw new CocoFormatException(where + " has size " + size + ", not [" + height + "," + width
                        + "] as its image");
            }
            JsonElement countsJson = field(rle, "counts", where);
            long[] counts;
            if (countsJson.isJsonPrimitive()) {
                counts = CocoRle.decompress(countsJson.getAsString());
            } else {
                JsonArray array = countsJson.getAsJsonArray();
                counts = new long[array.size()];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = array.get(i).getAsLong();
                }
            }
            boolean[] on = CocoRle.decode(counts, height, width);
            for (int i = 0; i < on.length; i++) {
                if (on[i]) {
                    labels[i] = (byte) label;
                }
            }
        }
    }
}

package org.seglight.train;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.seglight.io.ClassList;
import org.seglight.io.ImageLoader;
import org.seglight.io.MaskWriter;
import org.seglight.mask.LabelMask;
import org.seglight.task.CancelledException;
import org.seglight.task.Progress;
import org.seglight.text.ClassPrompt;
import org.seglight.text.PromptSet;

/**
 * Image/label pairs and the class list they use.
 *
 * <p>Reads a list file of {@code image label} pairs (CamVid's {@code train.txt}), or {@code images/} and
 * {@code labels/} folders matched by file stem (also Seglight's own exports, an indexed PNG per image plus
 * {@code classes.csv}). The void index and 255 are ignored. {@link #validate} checks every pair before
 * training, so a broken pair is reported by name, never silently trained on.
 */
public final class SegmentationDataset {

    /** One image and its label mask. */
    public record Sample(String name, Path image, Path label) {}

    /** A decoded pair: RGB pixels and labels (void mapped to 255). */
    public record Pair(String name, int width, int height, int[] rgb, byte[] labels) {}

    private static final List<String> VOID_NAMES = List.of("unlabelled", "unlabeled", "void", "ignore");

    private final Path root;
    private final List<Sample> samples;
    private final PromptSet classes;
    private final int voidIndex;

    private SegmentationDataset(Path root, List<Sample> samples, PromptSet classes, int voidIndex) {
        this.root = root;
        this.samples = List.copyOf(samples);
        this.classes = classes;
        this.voidIndex = voidIndex;
    }

    /**
     * Opens a dataset.
     *
     * @param dir the dataset folder
     * @param split a list file (e.g. {@code val.txt}) or a sub-folder with {@code images/} and {@code labels/};
     *     null for {@code dir/images} and {@code dir/labels}
     * @param classesCsv the class list; null for {@code dir/classes.csv}
     * @param voidIndex the void class index; negative to take the class named Unlabelled/void/ignore, if any
     * @param template the prompt template for the classes
     */
    public static SegmentationDataset open(Path dir, String split, Path classesCsv, int voidIndex, String template)
            throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException("Dataset folder not found: " + dir);
        }
        Path csv = classesCsv != null ? classesCsv : dir.resolve("classes.csv");
        if (!Files.isRegularFile(csv)) {
            throw new DatasetException("No class list: " + csv + " is missing (index,name[,r,g,b])");
        }
        List<ClassList.Entry> entries = ClassList.read(csv);
        int v = voidIndex;
        if (v < 0) {
            v = entries.stream().filter(e -> VOID_NAMES.contains(e.name().toLowerCase(Locale.ROOT)))
                    .mapToInt(ClassList.Entry::index).findFirst().orElse(LabelMask.VOID);
        }
        PromptSet classes = ClassList.toPrompts(entries, v, template == null ? ClassPrompt.DEFAULT_TEMPLATE : template);
        List<Sample> samples;
        if (split == null) {
            samples = fromFolders(dir);
        } else {
            Path list = dir.resolve(split);
            Path listTxt = dir.resolve(split + ".txt");
            if (Files.isRegularFile(list)) {
                samples = fromList(dir, list);
            } else if (Files.isRegularFile(listTxt)) {
                samples = fromList(dir, listTxt);
            } else if (Files.isDirectory(list)) {
                samples = fromFolders(list);
            } else {
                throw new DatasetException("Split '" + split + "' is neither a list file nor a folder in " + dir);
            }
        }
        if (samples.isEmpty()) {
            throw new DatasetException("No image/label pairs found in " + dir + (split == null ? "" : " / " + split));
        }
        return new SegmentationDataset(dir, samples, classes, v);
    }

    private static List<Sample> fromList(Path dir, Path list) throws IOException {
        List<Sample> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(list);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            // Tab-separated lines (as Seglight's exports write) allow spaces in paths; otherwise any whitespace.
            String[] parts = line.contains("\t") ? line.split("\t+") : line.split("\\s+");
            if (parts.length != 2) {
                throw new DatasetException(list.getFileName() + " line " + (i + 1) + ": expected 'image label', got '"
                        + line + "'");
            }
            Path image = dir.resolve(parts[0]);
            out.add(new Sample(stem(image), image, dir.resolve(parts[1])));
        }
        return out;
    }

    private static List<Sample> fromFolders(Path dir) throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        if (!Files.isDirectory(images) || !Files.isDirectory(labels)) {
            throw new DatasetException(dir + " has no images/ and labels/ folders and no list file");
        }
        Map<String, Path> byStem = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(images)) {
            for (Path p : ds) {
                if (ImageLoader.isImageName(p)) {
                    byStem.put(stem(p), p);
                }
            }
        }
        List<Sample> out = new ArrayList<>();
        for (Map.Entry<String, Path> e : byStem.entrySet()) {
            out.add(new Sample(e.getKey(), e.getValue(), labels.resolve(e.getKey() + ".png")));
        }
        return out;
    }

    private static String stem(Path p) {
        return p.getFileName().toString().replaceFirst("\\.[^.]+$", "");
    }

    public Path root() {
        return root;
    }

    public List<Sample> samples() {
        return samples;
    }

    public PromptSet classes() {
        return classes;
    }

    public int numClasses() {
        return classes.size();
    }

    public int voidIndex() {
        return voidIndex;
    }

    /**
     * Checks every pair: both files exist, the sizes match, and every label value is a class, the void index
     * or 255.
     *
     * @throws DatasetException naming each broken pair (the first ten) and what is wrong with it
     */
    public void validate(Progress progress) throws IOException {
        List<String> problems = new ArrayList<>();
        int k = numClasses();
        for (int i = 0; i < samples.size(); i++) {
            if (progress.isCancelled()) {
                throw new CancelledException("Dataset check cancelled");
            }
            progress.update("Checking " + samples.get(i).name(), i, samples.size());
            Sample s = samples.get(i);
            if (!Files.isRegularFile(s.image())) {
                problems.add(s.name() + ": image missing (" + root.relativize(s.image()) + ")");
                continue;
            }
            if (!Files.isRegularFile(s.label())) {
                problems.add(s.name() + ": label missing (" + root.relativize(s.label()) + ")");
                continue;
            }
            try {
                int[] size = ImageLoader.size(s.image());
                LabelMask mask = MaskWriter.readIndexed(s.label());
                if (size[0] != mask.width() || size[1] != mask.height()) {
                    problems.add(s.name() + ": image is " + size[0] + "x" + size[1] + " but its label is "
                            + mask.width() + "x" + mask.height());
                    continue;
                }
                long[] hist = mask.histogram();
                for (int value = k; value < 255; value++) {
                    if (hist[value] > 0 && value != voidIndex) {
                        problems.add(s.name() + ": label value " + value + " is not a class (0.." + (k - 1)
                                + (voidIndex < 255 ? ", void " + voidIndex : "") + " or 255)");
                        break;
                    }
                }
            } catch (IOException e) {
                problems.add(s.name() + ": " + e.getMessage());
            }
        }
        progress.update("Checked " + samples.size() + " pairs", samples.size(), samples.size());
        if (!problems.isEmpty()) {
            throw new DatasetException(problems.size() + " broken image/label pair(s): "
                    + String.join("; ", problems.subList(0, Math.min(10, problems.size())))
                    + (problems.size() > 10 ? "; ..." : ""));
        }
    }

    /** Decodes pair i, void mapped to 255. */
    public Pair load(int i) throws IOException {
        Sample s = samples.get(i);
        var img = ImageLoader.read(s.image());
        LabelMask mask = MaskWriter.readIndexed(s.label());
        if (img.getWidth() != mask.width() || img.getHeight() != mask.height()) {
            throw new DatasetException(s.name() + ": image and label sizes differ");
        }
        byte[] labels = mask.toBytes();
        if (voidIndex != LabelMask.VOID) {
            for (int p = 0; p < labels.length; p++) {
                if ((labels[p] & 0xff) == voidIndex) {
                    labels[p] = (byte) LabelMask.VOID;
                }
            }
        }
        int w = img.getWidth();
        int h = img.getHeight();
        return new Pair(s.name(), w, h, img.getRGB(0, 0, w, h, null, 0, w), labels);
    }
}

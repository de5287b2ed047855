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
 * {@code classes.csv}). The void index and 255 are ignored. {@link #checked} checks every pair before
 * training, so a broken pair is reported by name, never silently trained on, and a pair whose image file is
 * damaged (it decodes only in part: the labels of the rest would teach the network a grey fill) is left out and
 * named, unless the dataset {@link #includingDamaged includes damaged images} because the user said so.
 */
public final class SegmentationDataset {

    /** One image and its label mask. */
    public record Sample(String name, Path image, Path label) {}

    /** A decoded pair: RGB pixels and labels (void mapped to 255). */
    public record Pair(String name, int width, int height, int[] rgb, byte[] labels) {}

    /** A decoded pair and, when its image file decoded only in part, the damage in words (else null). */
    public record Decoded(Pair pair, String damage) {}

    /** A pair whose image file is damaged, and the damage in words. */
    public record Damaged(String name, String damage) {

        @Override
        public String toString() {
            return name + ": " + damage;
        }
    }

    private static final List<String> VOID_NAMES = List.of("unlabelled", "unlabeled", "void", "ignore");

    private final Path root;
    private final List<Sample> samples;
    private final PromptSet classes;
    private final int voidIndex;
    private final boolean includesDamaged;
    private final List<Damaged> damaged;

    private SegmentationDataset(Path root, List<Sample> samples, PromptSet classes, int voidIndex,
            boolean includesDamaged, List<Damaged> damaged) {
        this.root = root;
        this.samples = List.copyOf(samples);
        this.classes = classes;
        this.voidIndex = voidIndex;
        this.includesDamaged = includesDamaged;
        this.damaged = List.copyOf(damaged);
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
        } else if (split.contains("+")) { // "train.txt+val.txt": the splits together, in that order
            samples = new ArrayList<>();
            for (String part : split.split("\\+", -1)) {
                if (part.isBlank()) {
                    throw new DatasetException("Split '" + split + "' names an empty split; join them as a+b");
                }
                samples.addAll(open(dir, part.strip(), classesCsv, voidIndex, template).samples());
            }
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
        return new SegmentationDataset(dir, samples, classes, v, false, List.of());
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
     * This dataset with its damaged images kept, as the user confirmed: {@link #checked} keeps their pairs and
     * {@link #load} gives what was read of them.
     */
    public SegmentationDataset includingDamaged() {
        return new SegmentationDataset(root, samples, classes, voidIndex, true, damaged);
    }

    /** Whether damaged images are kept ({@link #includingDamaged}). */
    public boolean includesDamaged() {
        return includesDamaged;
    }

    /**
     * The pairs {@link #checked} found with a damaged image: left out of the dataset it returned, or kept in it
     * when it includes damaged images.
     */
    public List<Damaged> damaged() {
        return damaged;
    }

    /**
     * Checks every pair: both files exist, the image decodes whole, the sizes match, and every label value is a
     * class, the void index or 255.
     *
     * @return the pairs to train on: all of them, less those whose image is damaged unless damaged images are
     *     included; either way {@link #damaged} of the result names the damaged ones
     * @throws DatasetException naming each broken pair (the first ten) and what is wrong with it, or when every
     *     pair's image is damaged and they are not included
     */
    public SegmentationDataset checked(Progress progress) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Damaged> found = new ArrayList<>();
        List<Sample> kept = new ArrayList<>();
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
                ImageLoader.Loaded read = ImageLoader.load(s.image()); // decoded in full: a cut file says so
                int[] size = {read.image().getWidth(), read.image().getHeight()};
                if (read.damaged()) {
                    found.add(new Damaged(s.name(), read.damage()));
                }
                LabelMask mask = MaskWriter.readIndexed(s.label());
                if (size[0] != mask.width() || size[1] != mask.height()) {
                    problems.add(s.name() + ": image is " + size[0] + "x" + size[1] + " but its label is "
                            + mask.width() + "x" + mask.height());
                    continue;
                }
                long[] hist = mask.histogram();
                boolean fine = true;
                for (int value = k; value < 255 && fine; value++) {
                    if (hist[value] > 0 && value != voidIndex) {
                        problems.add(s.name() + ": label value " + value + " is not a class (0.." + (k - 1)
                                + (voidIndex < 255 ? ", void " + voidIndex : "") + " or 255)");
                        fine = false;
                    }
                }
                if (fine && (!read.damaged() || includesDamaged)) {
                    kept.add(s);
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
        if (kept.isEmpty()) {
            throw new DatasetException("Every image of the " + samples.size() + " pairs is damaged (only part of"
                    + " each could be read), so there is nothing to train on: " + found.getFirst()
                    + (found.size() > 1 ? "; ..." : ""));
        }
        return new SegmentationDataset(root, kept, classes, voidIndex, includesDamaged, found);
    }

    /**
     * Decodes pair i, void mapped to 255; an image that decodes only in part throws a
     * {@link org.seglight.io.DamagedImageException} unless damaged images are included.
     */
    public Pair load(int i) throws IOException {
        Sample s = samples.get(i);
        return pair(s, includesDamaged ? ImageLoader.load(s.image()).image() : ImageLoader.read(s.image()));
    }

    /** Decodes pair i whole or in part, with the damage of its image if it has any, for callers that decide. */
    public Decoded decode(int i) throws IOException {
        Sample s = samples.get(i);
        ImageLoader.Loaded read = ImageLoader.load(s.image());
        return new Decoded(pair(s, read.image()), read.damage());
    }

    private Pair pair(Sample s, java.awt.image.BufferedImage img) throws IOException {
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

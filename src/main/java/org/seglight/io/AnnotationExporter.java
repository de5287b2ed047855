package org.seglight.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.seglight.mask.LabelMask;
import org.seglight.task.CancelledException;
import org.seglight.task.Progress;
import org.seglight.text.PromptSet;

/**
 * Exports the masks of one image or a whole folder as indexed PNGs, colour overlays and a COCO file.
 *
 * <p>The layout is {@code masks/<stem>.png}, {@code overlays/<stem>.png}, {@code classes.csv} and
 * {@code annotations.coco.json}, which training scripts and labelling tools read directly. One bad image never
 * stops an export: it is reported in the {@link Report} with its reason while the others are written. Cancelling
 * stops between images and keeps what was written, including a COCO file of the images done.
 *
 * <p>Every image is read before its mask is asked for, so an image whose file decodes only in part (cut short,
 * damaged) is known: it is left out, with its damage in the report, unless the caller includes damaged images
 * because the user confirmed. A mask of a damaged image would pair labels with pixels that are not the picture.
 */
public final class AnnotationExporter {

    /** What to write for each image. */
    public enum Format {
        /** {@code masks/<stem>.png}: an indexed PNG whose pixel values are the labels. */
        PNG,
        /** {@code annotations.coco.json}: RLE annotations of all images. */
        COCO,
        /** {@code overlays/<stem>.png}: the image with the class colours blended in. */
        OVERLAY;

        /** The lower-case name users type, e.g. {@code png}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The format named, case-insensitively. */
        public static Format of(String name) {
            for (Format f : values()) {
                if (f.id().equalsIgnoreCase(name.strip())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("Unknown export format '" + name.strip()
                    + "'; choose from png, coco, overlay");
        }

        /** The formats of a comma-separated list such as {@code png,coco,overlay}. */
        public static Set<Format> parse(String list) {
            Set<Format> out = EnumSet.noneOf(Format.class);
            for (String part : list.split(",")) {
                if (!part.isBlank()) {
                    out.add(of(part));
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("Name at least one export format: png, coco, overlay");
            }
            return out;
        }
    }

    /** Where the mask of each image comes from: the saved edits, or a fresh prediction. */
    @FunctionalInterface
    public interface MaskSource {
        LabelMask maskFor(Path image) throws IOException;

        /**
         * The mask of an image whose pixels the export has read already (to know whether the file is whole, and
         * for its overlay), so that a prediction need not read the file again; by default {@link #maskFor(Path)}.
         */
        default LabelMask maskFor(Path image, BufferedImage pixels) throws IOException {
            return maskFor(image);
        }
    }

    /**
     * An image that was not exported, and why in words a user understands; {@code damaged} when it was left out
     * because its file decoded only in part (the reason is then the damage), which the user may choose to include.
     */
    public record Failure(Path image, String reason, boolean damaged) {

        public Failure(Path image, String reason) {
            this(image, reason, false);
        }
    }

    /** A damaged image that was exported as it was read, because the caller included damaged images. */
    public record Damaged(Path image, String damage) {}

    /**
     * How an export went: the images written now ({@code exported}) or found done by an earlier run
     * ({@code skipped}), the folder's images in {@code done}, those not exported with why, and the damaged images
     * exported as read because they were included.
     */
    public record Report(int exported, List<Failure> failed, boolean cancelled, int skipped, List<Path> done,
            List<Damaged> damagedIncluded) {

        public Report(int exported, List<Failure> failed, boolean cancelled) {
            this(exported, failed, cancelled, 0, List.of(), List.of());
        }

        public Report {
            failed = List.copyOf(failed);
            done = List.copyOf(done);
            damagedIncluded = List.copyOf(damagedIncluded);
        }

        /** The images left out because their files are damaged, with the damage. */
        public List<Failure> damagedLeftOut() {
            return failed.stream().filter(Failure::damaged).toList();
        }

        /** The images not exported for another reason than damage. */
        public List<Failure> otherFailures() {
            return failed.stream().filter(f -> !f.damaged()).toList();
        }
    }

    /** The training list an export writes: {@code image<TAB>masks/NAME.png} per line. */
    public static final String PAIRS_LIST = "images.txt";
    public static final String MASKS_DIR = "masks";
    public static final String OVERLAYS_DIR = "overlays";
    public static final String CLASSES_CSV = "classes.csv";
    public static final String COCO_JSON = "annotations.coco.json";
    public static final float OVERLAY_ALPHA = 0.5f;

    /**
     * Exports each image's mask in the chosen formats, plus {@code classes.csv}; the COCO file, when chosen, holds
     * every image exported (it is not written when none was).
     *
     * @throws IOException before any work when {@code outDir} cannot be created or written
     */
    public static Report export(List<Path> images, MaskSource masks, PromptSet classes, Path outDir,
            Set<Format> formats, Progress progress) throws IOException {
        return export(images, masks, classes, outDir, formats, false, progress);
    }

    /**
     * As {@link #export(List, MaskSource, PromptSet, Path, Set, Progress)}; with {@code resume}, an image whose
     * outputs are all there already (its indexed PNG, and its overlay when asked for) is not asked of
     * {@code masks} again: its mask is read back from the PNG for the COCO file, so an interrupted folder run
     * picks up where it stopped. Resuming needs {@link Format#PNG}.
     */
    public static Report export(List<Path> images, MaskSource masks, PromptSet classes, Path outDir,
            Set<Format> formats, boolean resume, Progress progress) throws IOException {
        return export(images, masks, classes, outDir, formats, resume, false, progress);
    }

    /**
     * As {@link #export(List, MaskSource, PromptSet, Path, Set, boolean, Progress)}; with {@code includeDamaged},
     * an image whose file decodes only in part is exported as it was read (named in
     * {@link Report#damagedIncluded}) instead of being left out. A damaged image left out has no outputs in the
     * folder afterwards: those an earlier export wrote of it are removed, so nothing pairs it with a mask.
     */
    public static Report export(List<Path> images, MaskSource masks, PromptSet classes, Path outDir,
            Set<Format> formats, boolean resume, boolean includeDamaged, Progress progress) throws IOException {
        if (resume && !formats.contains(Format.PNG)) {
            throw new IllegalArgumentException("Resuming reads the indexed PNGs back: include png in the formats");
        }
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("Name at least one export format: png, coco, overlay");
        }
        prepare(outDir, formats, classes);
        int[] colors = new int[classes.size()];
        for (int k = 0; k < colors.length; k++) {
            colors[k] = classes.color(k);
        }
        CocoWriter coco = formats.contains(Format.COCO) ? new CocoWriter(classes) : null;
        Set<String> stems = new HashSet<>();
        List<Failure> failed = new ArrayList<>();
        List<Path> done = new ArrayList<>();
        List<Damaged> damagedIncluded = new ArrayList<>();
        List<String> pairs = new ArrayList<>();
        int exported = 0;
        int skipped = 0;
        boolean cancelled = false;
        int n = images.size();
        for (int i = 0; i < n; i++) {
            if (progress.isCancelled()) {
                cancelled = true;
                break;
            }
            Path image = images.get(i);
            progress.update("Exporting " + image.getFileName(), i, n);
            try {
                String stem = uniqueStem(image, stems);
                Path png = outDir.resolve(MASKS_DIR).resolve(stem + ".png");
                if (resume && Files.isRegularFile(png) && (!formats.contains(Format.OVERLAY)
                        || Files.isRegularFile(outDir.resolve(OVERLAYS_DIR).resolve(stem + ".png")))) {
                    if (coco != null) {
                        coco.add(image.getFileName().toString(), MaskWriter.readIndexed(png));
                    }
                    skipped++;
                    done.add(image);
                    pairs.add(pair(outDir, image, png));
                    continue;
                }
                ImageLoader.Loaded read = ImageLoader.load(image);
                if (read.damaged()) {
                    if (!includeDamaged) {
                        failed.add(leaveOut(image, read.damage(), png, outDir.resolve(OVERLAYS_DIR).resolve(stem
                                + ".png")));
                        continue;
                    }
                    damagedIncluded.add(new Damaged(image, read.damage()));
                }
                LabelMask mask = checkedMask(image, masks, classes, read.image());
                BufferedImage overlay = null;
                if (formats.contains(Format.OVERLAY)) {
                    overlay = MaskWriter.overlay(read.image(), mask, colors, OVERLAY_ALPHA);
                }
                read = null; // the pixels may go before the files are written
                if (coco != null) {
                    coco.add(image.getFileName().toString(), mask);
                }
                if (formats.contains(Format.PNG)) {
                    MaskWriter.writePng(MaskWriter.toIndexed(mask, colors), png);
                    pairs.add(pair(outDir, image, png));
                }
                if (overlay != null) {
                    MaskWriter.writePng(overlay, outDir.resolve(OVERLAYS_DIR).resolve(stem + ".png"));
                }
                exported++;
                done.add(image);
            } catch (CancelledException e) {
                cancelled = true;
                break;
            } catch (IOException | RuntimeException e) {
                failed.add(new Failure(image, e.getMessage() != null ? e.getMessage() : e.toString()));
            }
        }
        if (coco != null && coco.size() > 0) {
            coco.write(outDir.resolve(COCO_JSON));
        }
        if (!pairs.isEmpty()) {
            // A training list (image TAB label) for `seglight train --data outDir` with trainSplit images.txt.
            AtomicFile.writeString(outDir.resolve(PAIRS_LIST), String.join("\n", pairs) + "\n");
        }
        progress.update(cancelled ? "Export cancelled after " + exported + " images"
                : "Exported " + exported + " of " + n + " images" + (skipped > 0 ? ", " + skipped + " done before" : ""),
                exported + skipped + failed.size(), n);
        return new Report(exported, failed, cancelled, skipped, done, damagedIncluded);
    }

    /** Creates the output folders and writes classes.csv, failing with a plain message before any image. */
    private static void prepare(Path outDir, Set<Format> formats, PromptSet classes) throws IOException {
        try {
            Files.createDirectories(outDir);
            Files.delete(Files.createTempFile(outDir, ".seglight-write-test", ".tmp"));
            if (formats.contains(Format.PNG)) {
                Files.createDirectories(outDir.resolve(MASKS_DIR));
            }
            if (formats.contains(Format.OVERLAY)) {
                Files.createDirectories(outDir.resolve(OVERLAYS_DIR));
            }
            ClassList.write(outDir.resolve(CLASSES_CSV), classes);
        } catch (IOException e) {
            throw new IOException("Cannot write to " + outDir + ": " + reason(e), e);
        }
    }

    /** A damaged image left out, its outputs from an earlier export into the folder removed. */
    private static Failure leaveOut(Path image, String damage, Path... stale) {
        for (Path p : stale) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return new Failure(image, damage + "; its " + p.getParent().getFileName() + "/" + p.getFileName()
                        + " from an earlier export could not be removed (" + reason(e) + ")", true);
            }
        }
        return new Failure(image, damage, true);
    }

    private static LabelMask checkedMask(Path image, MaskSource masks, PromptSet classes, BufferedImage pixels)
            throws IOException {
        LabelMask mask = masks.maskFor(image, pixels);
        if (pixels.getWidth() != mask.width() || pixels.getHeight() != mask.height()) {
            throw new IOException(image.getFileName() + " is " + pixels.getWidth() + "x" + pixels.getHeight()
                    + " pixels but its mask is " + mask.width() + "x" + mask.height());
        }
        long[] histogram = mask.histogram();
        for (int k = classes.size(); k < LabelMask.VOID; k++) {
            if (histogram[k] > 0) {
                throw new IOException("The mask of " + image.getFileName() + " has label " + k + ", but only "
                        + classes.size() + " classes are defined");
            }
        }
        return mask;
    }


    /** One line of the training list: the image (relative to outDir where it can be) TAB its mask. */
    private static String pair(Path outDir, Path image, Path png) {
        Path out = outDir.toAbsolutePath().normalize();
        Path img = image.toAbsolutePath().normalize();
        String imageRef;
        try {
            imageRef = out.relativize(img).toString();
        } catch (IllegalArgumentException e) {
            imageRef = img.toString(); // another drive or root
        }
        return imageRef + "\t" + out.relativize(png.toAbsolutePath().normalize());
    }

    /** The file name without its extension, or, when another image took that, the whole name made unique. */
    private static String uniqueStem(Path image, Set<String> taken) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String candidate = stem;
        for (int k = 1; !taken.add(candidate.toLowerCase(Locale.ROOT)); k++) {
            candidate = k == 1 ? name : name + "-" + k;
        }
        return candidate;
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " is a file, not a folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private AnnotationExporter() {}
}

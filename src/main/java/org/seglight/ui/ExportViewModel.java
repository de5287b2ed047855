package org.seglight.ui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.seglight.annotation.AnnotationState;
import org.seglight.annotation.AnnotationStore;
import org.seglight.annotation.Autosaver;
import org.seglight.annotation.ImageEdits;
import org.seglight.inference.SegmentationResult;
import org.seglight.inference.SlotMapping;
import org.seglight.io.AnnotationExporter;
import org.seglight.io.ImageLoader;
import org.seglight.mask.LabelMask;
import org.seglight.ui.common.DialogService;
import org.seglight.ui.common.Lane;
import org.seglight.ui.common.Messages;
import org.seglight.ui.common.TaskRunner;
import org.seglight.ui.images.ImageSession;
import org.seglight.ui.images.ImagesViewModel;
import org.seglight.ui.prompts.PromptsViewModel;

/**
 * Exports the open image or the whole strip in the background. Each image's mask is the user's work where
 * there is some (kept in this session, or saved, matched to the class table by name), otherwise a fresh
 * prediction of the model that was current when the export started: the export holds that model until it ends,
 * so loading another one meanwhile does not break it. Only images exported with the user's work are marked
 * "Exported"; a prediction nobody reviewed keeps its state.
 *
 * <p>An image whose file is damaged (it decoded only in part) is kept out of the export unless the user says to
 * include it: the open image is asked about before its export, the images of a folder once the export has found
 * them, in one question that lists them with their damage ("Export without them" is the default); including them
 * then exports just those into the same folder, the others being done already.
 */
public final class ExportViewModel {

    private final TaskRunner runner;
    private final DialogService dialogs;
    private final ImageSession session;
    private final Autosaver autosaver;
    private final ModelSession models;
    private final PromptsViewModel prompts;
    private final ImagesViewModel images;
    private final Consumer<String> status;
    private boolean wholeImage;

    public ExportViewModel(TaskRunner runner, DialogService dialogs, ImageSession session, Autosaver autosaver,
            ModelSession models, PromptsViewModel prompts, ImagesViewModel images, Consumer<String> status) {
        this.runner = runner;
        this.dialogs = dialogs;
        this.session = session;
        this.autosaver = autosaver;
        this.models = models;
        this.prompts = prompts;
        this.images = images;
        this.status = status;
    }

    /** One pass over the whole image instead of sliding windows, for images that are predicted. */
    public void setWholeImage(boolean whole) {
        wholeImage = whole;
    }

    /** Exports the open image's mask as it is on screen; a damaged image only when the user says so. */
    public void exportCurrent(Path outDir) {
        Path p = session.pathProperty().get();
        ImageEdits e = session.edits(p);
        if (e == null || !e.hasBase() && !e.isEdited()) {
            dialogs.showError("Nothing to export", "Open and segment an image first.");
            return;
        }
        Optional<String> damage = session.damage(p);
        if (damage.isPresent() && dialogs.choose("Damaged image", damage.get() + ".\n\nA mask of it pairs labels"
                + " with pixels that are not the picture, so exports leave it out unless you include it.",
                List.of("Don't export it", "Export it as it was read")) == 0) {
            status.accept(p.getFileName() + " was not exported: its file is damaged");
            return;
        }
        LabelMask snapshot = e.editor().snapshot();
        Set<Path> users = e.isEdited() ? Set.of(p) : Set.of();
        AnnotationExporter.MaskSource masks = img -> snapshot;
        export(List.of(p), outDir, Optional.empty(), masks, users, false, damage.isPresent(),
                report -> offerDamaged(report, List.of(p), outDir,
                        again -> export(again, outDir, Optional.empty(), masks, users, true, true, r -> {})));
    }

    /** Exports every image in the strip; damaged ones are left out, then offered to include. */
    public void exportAll(Path outDir) {
        if (images.items().isEmpty()) {
            dialogs.showError("Nothing to export", "Open a folder first.");
            return;
        }
        Optional<String> problem = prompts.problem();
        if (problem.isPresent()) {
            dialogs.showError("Fix the class table first", problem.get() + ": the model cannot be run, and images "
                    + "without a saved mask would have no labels.");
            return;
        }
        List<Path> all = images.items().stream().map(ImagesViewModel.Item::path).toList();
        exportFolder(all, outDir, false);
    }

    /**
     * Exports {@code files}; {@code includeDamaged} is the second pass after the user chose to include the
     * damaged images, which resumes (the other images' outputs are there already).
     */
    private void exportFolder(List<Path> files, Path outDir, boolean includeDamaged) {
        List<String> names = prompts.names();
        List<Integer> slots = prompts.slots();
        var networkPrompts = prompts.networkPrompts();
        SlotMapping mapping = prompts.mapping();
        boolean whole = wholeImage;
        // The user's masks as they are now, taken on the UI thread where the editors live.
        java.util.Map<Path, LabelMask> inMemory = new java.util.HashMap<>();
        Set<Path> users = ConcurrentHashMap.newKeySet();
        session.allEdits().forEach((p, e) -> {
            if (e.isEdited()) {
                inMemory.put(p, e.editor().snapshot());
            }
        });
        Optional<ModelSession.Lease> lease = models.acquire();
        AnnotationExporter.MaskSource masks = new AnnotationExporter.MaskSource() {
            @Override
            public LabelMask maskFor(Path p) throws IOException {
                return maskFor(p, null);
            }

            @Override
            public LabelMask maskFor(Path p, BufferedImage pixels) throws IOException {
                LabelMask m = inMemory.get(p);
                if (m != null) {
                    users.add(p);
                    return m;
                }
                Optional<AnnotationStore.Saved> saved = autosaver.load(p);
                if (saved.isPresent()) {
                    users.add(p);
                    return saved.get().inTable(names, slots);
                }
                if (lease.isEmpty()) {
                    throw new IOException("it has no saved mask and no model is loaded to segment it");
                }
                SegmentationResult r = lease.get().service().segment(pixels != null ? pixels : ImageLoader.read(p),
                        networkPrompts, whole);
                return mapping.toRows(r.mask(), r.probabilities());
            }
        };
        export(files, outDir, lease, masks, users, includeDamaged, includeDamaged,
                report -> offerDamaged(report, files, outDir, again -> exportFolder(again, outDir, true)));
    }

    private void export(List<Path> files, Path outDir, Optional<ModelSession.Lease> lease,
            AnnotationExporter.MaskSource masks, Set<Path> users, boolean resume, boolean includeDamaged,
            Consumer<AnnotationExporter.Report> then) {
        var classes = prompts.rowPrompts();
        Set<AnnotationExporter.Format> formats = EnumSet.allOf(AnnotationExporter.Format.class);
        runner.run(Lane.EXPORT, "Exporting to " + outDir.getFileName(), true,
                progress -> AnnotationExporter.export(files, masks, classes, outDir, formats, resume, includeDamaged,
                        progress), report -> {
            for (Path p : report.done()) {
                if (users.contains(p)) {
                    images.setState(p, AnnotationState.EXPORTED);
                    autosaver.markExported(p);
                }
            }
            String summary = summary(report, outDir);
            status.accept(summary);
            then.accept(report);
            List<AnnotationExporter.Failure> failed = report.otherFailures();
            if (!failed.isEmpty()) {
                dialogs.showError("Some images were not exported", summary + ".\nNot exported:\n"
                        + String.join("\n", failed.stream()
                                .map(f -> f.image().getFileName() + ": " + f.reason()).toList()));
            }
        }, e -> dialogs.showError("Export failed", Messages.of(e)),
                () -> lease.ifPresent(ModelSession.Lease::close)); // run, failed or cancelled before it started
    }

    /** The export's report in one line: how many, where, and the damaged images left out or included. */
    static String summary(AnnotationExporter.Report report, Path outDir) {
        int n = report.exported() + report.skipped();
        StringBuilder s = new StringBuilder("Exported " + n + " image(s) to " + outDir);
        if (report.cancelled()) {
            s.append(" (cancelled before the end)");
        }
        if (!report.damagedIncluded().isEmpty()) {
            s.append("; ").append(report.damagedIncluded().size()).append(" damaged, included as read: ")
                    .append(names(report.damagedIncluded().stream().map(AnnotationExporter.Damaged::image).toList()));
        }
        if (!report.damagedLeftOut().isEmpty()) {
            s.append("; ").append(report.damagedLeftOut().size()).append(" damaged, left out: ")
                    .append(names(report.damagedLeftOut().stream().map(AnnotationExporter.Failure::image).toList()));
        }
        return s.toString();
    }

    private static String names(List<Path> files) {
        return String.join(", ", files.stream().map(p -> p.getFileName().toString()).toList());
    }

    /**
     * Lists the damaged images an export left out and asks whether to include them; "Include them" exports
     * them, with the images done, into the same folder (those are not written again).
     */
    private void offerDamaged(AnnotationExporter.Report report, List<Path> files, Path outDir,
            Consumer<List<Path>> exportAgain) {
        List<AnnotationExporter.Failure> damaged = report.damagedLeftOut();
        if (damaged.isEmpty() || report.cancelled()) {
            return;
        }
        boolean one = damaged.size() == 1;
        String message = (one ? "One image's file is" : damaged.size() + " images' files are")
                + " damaged: only part of " + (one ? "it" : "each") + " could be read, and a mask of "
                + (one ? "it" : "them") + " would pair labels with pixels that are not the picture.\n\n"
                + String.join("\n", damaged.stream().map(AnnotationExporter.Failure::reason).toList())
                + "\n\nThe export to " + outDir + " holds " + report.done().size() + " image(s) without "
                + (one ? "it" : "them") + ".";
        int choice = dialogs.choose(one ? "A damaged image was left out" : "Damaged images were left out", message,
                one ? List.of("Export without it", "Include it") : List.of("Export without them", "Include them"));
        if (choice == 1) {
            Set<Path> again = new java.util.HashSet<>(report.done());
            damaged.forEach(f -> again.add(f.image()));
            exportAgain.accept(files.stream().filter(again::contains).toList());
        }
    }
}

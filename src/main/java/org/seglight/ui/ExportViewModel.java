package org.seglight.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** Exports the open image's mask as it is on screen. */
    public void exportCurrent(Path outDir) {
        Path p = session.pathProperty().get();
        ImageEdits e = session.edits(p);
        if (e == null || !e.hasBase() && !e.isEdited()) {
            dialogs.showError("Nothing to export", "Open and segment an image first.");
            return;
        }
        LabelMask snapshot = e.editor().snapshot();
        boolean users = e.isEdited();
        export(List.of(p), outDir, Optional.empty(), img -> snapshot, users ? Set.of(p) : Set.of());
    }

    /** Exports every image in the strip. */
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
        export(all, outDir, lease, p -> {
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
            SegmentationResult r = lease.get().service().segment(ImageLoader.read(p), networkPrompts, whole);
            return mapping.toRows(r.mask(), r.probabilities());
        }, users);
    }

    private void export(List<Path> files, Path outDir, Optional<ModelSession.Lease> lease,
            AnnotationExporter.MaskSource masks, Set<Path> users) {
        var classes = prompts.rowPrompts();
        Set<AnnotationExporter.Format> formats = EnumSet.allOf(AnnotationExporter.Format.class);
        runner.run(Lane.EXPORT, "Exporting to " + outDir.getFileName(), true,
                progress -> AnnotationExporter.export(files, masks, classes, outDir, formats, progress), report -> {
            List<Path> done = new ArrayList<>(files);
            report.failed().forEach(f -> done.remove(f.image()));
            for (Path p : done.subList(0, Math.min(done.size(), report.exported()))) {
                if (users.contains(p)) {
                    images.setState(p, AnnotationState.EXPORTED);
                    autosaver.markExported(p);
                }
            }
            String summary = "Exported " + report.exported() + " image(s) to " + outDir
                    + (report.cancelled() ? " (cancelled before the end)" : "");
            status.accept(summary);
            if (!report.failed().isEmpty()) {
                dialogs.showError("Some images were not exported", summary + ".\nNot exported:\n"
                        + String.join("\n", report.failed().stream()
                                .map(f -> f.image().getFileName() + ": " + f.reason()).toList()));
            }
        }, e -> dialogs.showError("Export failed", Messages.of(e)),
                () -> lease.ifPresent(ModelSession.Lease::close)); // run, failed or cancelled before it started
    }
}

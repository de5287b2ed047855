package org.seglight.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.seglight.annotation.ImageEdits;
import org.seglight.ui.common.DialogService;
import org.seglight.ui.common.Messages;
import org.seglight.ui.corrections.CorrectionsViewModel;
import org.seglight.ui.images.ImageSession;
import org.seglight.ui.images.ImagesViewModel;
import org.seglight.ui.inspector.InspectorViewModel;
import org.seglight.ui.prompts.PromptsViewModel;

/**
 * Opens images: chosen files or a folder into the strip (through the project, which first reads the folder's
 * class table and the images' states), and an image of the strip on screen. For that the open stroke ends, the
 * {@link ImageSession} brings the image (at once when it was seen before, else from disk in the background), its
 * edits are matched to the class table, and it is segmented unless a segmentation of it is still cached. An image
 * that cannot be read is reported and the one that was open stays.
 */
final class ImageOpener {

    private final ImagesViewModel images;
    private final ImageSession session;
    private final CorrectionsViewModel corrections;
    private final PromptsViewModel prompts;
    private final InspectorViewModel inspector;
    private final ProjectViewModel project;
    private final SegmentationRunner segmentation;
    private final DialogService dialogs;
    private final Consumer<String> status;
    private final Runnable lookChanged;

    /** @param lookChanged repaints the mask and maps once the image shows */
    ImageOpener(ImagesViewModel images, ImageSession session, CorrectionsViewModel corrections,
            PromptsViewModel prompts, InspectorViewModel inspector, ProjectViewModel project,
            SegmentationRunner segmentation, DialogService dialogs, Consumer<String> status, Runnable lookChanged) {
        this.images = images;
        this.session = session;
        this.corrections = corrections;
        this.prompts = prompts;
        this.inspector = inspector;
        this.project = project;
        this.segmentation = segmentation;
        this.dialogs = dialogs;
        this.status = status;
        this.lookChanged = lookChanged;
    }

    /** Lists chosen files in the strip (a single file with its folder's images) and opens the first. */
    void openFiles(List<Path> files) {
        if (!files.isEmpty()) {
            project.list("Cannot open", () -> images.openFiles(files), this::openCurrent);
        }
    }

    /** Lists a folder's images in the strip and opens the first. */
    void openFolder(Path folder) {
        project.list("Cannot open the folder", () -> images.openFolder(folder), this::openCurrent);
    }

    /** Opens a path given on the command line or dropped: a folder or an image. */
    void open(Path path) {
        if (Files.isDirectory(path)) {
            openFolder(path);
        } else {
            openFiles(List.of(path));
        }
    }

    /** From now on, selecting another image in the strip opens it (not while images are being listed). */
    void followStrip() {
        images.currentProperty().addListener((o, a, b) -> {
            if (!project.isListing()) {
                openCurrent();
            }
        });
    }

    /** Opens the strip's current image unless it is the open one already. */
    private void openCurrent() {
        Path p = images.currentPath();
        if (p != null && !p.equals(session.pathProperty().get())) {
            show(p);
        }
    }

    /** Makes {@code p} the open image. */
    private void show(Path p) {
        corrections.endStroke();
        corrections.show(null);
        session.open(p, project::opened, () -> shown(p), (path, e) -> {
            dialogs.showError("Cannot open the image", Messages.of(e));
            status.accept("Could not open " + path.getFileName() + "; nothing else changed");
            Path back = session.pathProperty().get();
            if (back != null) {
                images.selectPath(back);
                shown(back);
            }
        });
    }

    private void shown(Path p) {
        ImageEdits e = session.edits(p);
        project.reconcile(p, e);
        corrections.show(e);
        inspector.setAttention(null, prompts.mapping(), prompts.names());
        var img = session.imageProperty().get();
        var note = project.takeOpenNote();
        if (session.damage(p).isPresent()) { // said in front of the status too, not only in the banner
            String damaged = p.getFileName() + " is damaged: only part of the file could be read";
            note = Optional.of(note.map(n -> n + " · ").orElse("") + damaged);
        }
        segmentation.setNote(note.orElse(null));
        status.accept(note.orElse(p.getFileName() + ": " + img.getWidth() + "×" + img.getHeight()));
        lookChanged.run();
        if (session.resultProperty().get() == null) {
            segmentation.segment();
        } else {
            inspector.setAttention(session.resultProperty().get().attention(), prompts.mapping(), prompts.names());
        }
    }
}

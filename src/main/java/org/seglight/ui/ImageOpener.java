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
            // One chosen file is the user's choice (a failure is a dialog); of several, the first readable opens.
            project.list("Cannot open", () -> images.openFiles(files), () -> openListed(files.size() > 1));
        }
    }

    /** Lists a folder's images in the strip and opens the first it can read. */
    void openFolder(Path folder) {
        project.list("Cannot open the folder", () -> images.openFolder(folder), () -> openListed(true));
    }

    /**
     * Opens the strip's current image after a listing. When {@code firstReadable}, an image that cannot be read
     * is marked in the strip and the next one is tried, without a dialog about a file the user did not ask for.
     */
    private void openListed(boolean firstReadable) {
        skipping = firstReadable;
        openCurrent();
    }

    /** Whether the image being opened was picked by a listing (skip it if unreadable), not by the user. */
    private boolean skipping;

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
                if (!skippingNow) {
                    skipping = false; // the user's own step: a failure is said in a dialog
                }
                openCurrent();
            }
        });
    }

    /** Set while the opener itself moves the strip past an unreadable image. */
    private boolean skippingNow;

    /** Opens the strip's current image unless it is the open one already. */
    private void openCurrent() {
        Path p = images.currentPath();
        if (p != null && !p.equals(session.pathProperty().get())) {
            show(p);
        }
    }

    /** Makes {@code p} the open image. */
    private void show(Path p) {
        inspector.clearPixel(); // the charted pixel belongs to the image that was open
        corrections.endStroke();
        corrections.show(null);
        session.open(p, project::opened, () -> {
            skipping = false;
            shown(p);
        }, (path, e) -> {
            boolean cancelled = e instanceof org.seglight.task.CancelledException;
            if (cancelled) {
                status.accept(Messages.of(e));
            } else {
                images.markUnreadable(path, Messages.of(e));
            }
            int at = images.items().indexOf(images.item(path).orElse(null));
            int next = skipping && !cancelled ? images.nextReadable(at + 1) : -1;
            if (next >= 0 && next != at) {
                status.accept(path.getFileName() + " cannot be read (" + Messages.of(e) + "); opened the next image");
                skippingNow = true;
                try {
                    images.select(next); // opens it, through the strip
                } finally {
                    skippingNow = false;
                }
                return;
            }
            if (skipping && !cancelled) {
                skipping = false;
                dialogs.showError("Cannot open the images", "None of the listed images could be read; the strip"
                        + " marks each with its reason (the last: " + Messages.of(e) + ")");
            } else if (!cancelled) {
                dialogs.showError("Cannot open the image", Messages.of(e));
            }
            Path back = session.pathProperty().get();
            if (back != null && images.item(back).isPresent()) {
                status.accept("Could not open " + path.getFileName() + "; " + back.getFileName() + " stays open");
                images.selectPath(back);
                shown(back);
            } else {
                // The image that was open belongs to another listing: show none rather than a stranger's.
                corrections.show(null);
                session.clear();
                status.accept("Could not open " + path.getFileName() + "; no image is open");
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

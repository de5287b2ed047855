package org.seglight.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.seglight.annotation.EditOp;
import org.seglight.annotation.ImageEdits;
import org.seglight.io.CocoWriter;
import org.seglight.io.MaskWriter;
import org.seglight.mask.LabelMask;
import org.seglight.ui.common.DialogService;
import org.seglight.ui.common.Messages;
import org.seglight.ui.corrections.CorrectionsViewModel;
import org.seglight.ui.images.ImageSession;
import org.seglight.ui.prompts.PromptsViewModel;

/**
 * Loads a mask made elsewhere (an indexed PNG, or a COCO file's mask of the open image) into the open image, as
 * one undoable step to correct from. A mask of another size, or with labels beyond the class table's rows, is
 * refused with a message that says so.
 */
final class MaskImporter {

    private final ImageSession session;
    private final CorrectionsViewModel corrections;
    private final PromptsViewModel prompts;
    private final DialogService dialogs;

    MaskImporter(ImageSession session, CorrectionsViewModel corrections, PromptsViewModel prompts,
            DialogService dialogs) {
        this.session = session;
        this.corrections = corrections;
        this.prompts = prompts;
        this.dialogs = dialogs;
    }

    /** Loads {@code file} into the open image's edits, or tells the user why not. */
    void importMask(Path file) {
        ImageEdits e = corrections.edits();
        Path image = session.pathProperty().get();
        if (e == null || image == null) {
            dialogs.showError("Nothing to import into", "Open an image first.");
            return;
        }
        try {
            corrections.apply(new EditOp.Replace(read(file, image, e.width(), e.height(), prompts.rows().size()),
                    "Import mask"));
        } catch (IOException | RuntimeException ex) {
            dialogs.showError("Cannot import the mask", Messages.of(ex));
        }
    }

    /** Reads the mask and checks it fits an image of width × height and a table of {@code classes} rows. */
    static LabelMask read(Path file, Path image, int width, int height, int classes) throws IOException {
        LabelMask m = file.getFileName().toString().toLowerCase().endsWith(".json")
                ? CocoWriter.readMask(file, image.getFileName().toString()) : MaskWriter.readIndexed(file);
        if (m.width() != width || m.height() != height) {
            throw new IOException(file.getFileName() + " is " + m.width() + "×" + m.height()
                    + " but the image is " + width + "×" + height);
        }
        long[] h = m.histogram();
        List<Integer> beyond = new ArrayList<>();
        for (int v = classes; v < LabelMask.VOID; v++) {
            if (h[v] > 0) {
                beyond.add(v);
            }
        }
        if (!beyond.isEmpty()) {
            throw new IOException(file.getFileName() + " has labels " + beyond + " but the class table has "
                    + classes + " classes (0…" + (classes - 1) + "); add classes or import a mask made with this "
                    + "table");
        }
        return m;
    }
}

package org.seglight.ui.corrections;

import java.util.ArrayList;
import java.util.List;
import org.seglight.annotation.EditOp;
import org.seglight.annotation.ImageEdits;
import org.seglight.annotation.MaskEditor;
import org.seglight.mask.Region;

/**
 * The brush or eraser stroke being drawn: it paints through the image's {@link MaskEditor}, keeps the points so
 * that {@link ImageEdits} can replay the stroke on a base that arrives later, and holds back changes of the
 * mask from outside (a saved mask or a prediction arriving) until the stroke ends, since replacing the editor
 * under an open stroke would drop it.
 */
final class StrokeRecorder {

    private ImageEdits edits;
    private MaskEditor.Stroke stroke;
    private String name;
    private int label;
    private int radius;
    private final List<double[]> points = new ArrayList<>();
    private long startVersion;
    private final List<Runnable> deferred = new ArrayList<>();

    /** Starts a stroke on {@code e}; the caller has finished any stroke before. */
    void begin(ImageEdits e, String strokeName, int strokeLabel, int strokeRadius) {
        edits = e;
        name = strokeName;
        label = strokeLabel;
        radius = strokeRadius;
        points.clear();
        startVersion = e.editor().version();
        stroke = e.editor().beginStroke(strokeName, strokeLabel, strokeRadius);
    }

    boolean isOpen() {
        return stroke != null;
    }

    /** Paints on to (x, y); returns what changed ({@link Region#EMPTY} without an open stroke). */
    Region lineTo(double x, double y) {
        if (stroke == null) {
            return Region.EMPTY;
        }
        points.add(new double[] {x, y});
        return stroke.lineTo(x, y);
    }

    /**
     * Ends the open stroke, as one step of the image's edits; returns false when there was none. The changes
     * held back meanwhile are then due ({@link #takeDeferred}).
     */
    boolean finish() {
        if (stroke == null) {
            return false;
        }
        boolean changed = !stroke.finish().isEmpty();
        stroke = null;
        edits.strokeFinished(toOp(), changed || edits.editor().version() != startVersion);
        edits = null;
        points.clear();
        return true;
    }

    /** Runs a change of the mask now, or, while a stroke is open, once it ends. */
    void whenNoStroke(Runnable change) {
        if (stroke == null) {
            change.run();
        } else {
            deferred.add(change);
        }
    }

    /** The changes held back while the stroke was drawn, in order; the queue is emptied. */
    List<Runnable> takeDeferred() {
        List<Runnable> due = List.copyOf(deferred);
        deferred.clear();
        return due;
    }

    private EditOp.Stroke toOp() {
        return new EditOp.Stroke(name, label, radius, points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray());
    }
}

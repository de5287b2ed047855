package org.seglight.annotation;

import org.seglight.mask.LabelMask;
import org.seglight.mask.Region;

/**
 * One correction as the user made it, replayable on another mask: the strokes, polygons and fills made while
 * an image's saved annotation or prediction was still arriving are kept as operations and applied on top of
 * it when it lands (see {@link ImageEdits}).
 */
public sealed interface EditOp {

    /** Applies the operation to an editor as one undoable step; returns what changed. */
    Region applyTo(MaskEditor editor);

    /** A brush or eraser stroke through the given image points. */
    record Stroke(String name, int label, int radius, double[] xs, double[] ys) implements EditOp {
        @Override
        public Region applyTo(MaskEditor editor) {
            MaskEditor.Stroke s = editor.beginStroke(name, label, radius);
            Region r = Region.EMPTY;
            for (int i = 0; i < xs.length; i++) {
                r = r.union(s.lineTo(xs[i], ys[i]));
            }
            s.finish();
            return r;
        }
    }

    /** A filled polygon. */
    record Polygon(double[] xs, double[] ys, int label) implements EditOp {
        @Override
        public Region applyTo(MaskEditor editor) {
            return editor.polygon(xs, ys, label);
        }
    }

    /** The pixels of a selection given one label (a smart select): see {@link MaskEditor#paint}. */
    record Pixels(Region box, byte[] inside, int label, String name) implements EditOp {
        @Override
        public Region applyTo(MaskEditor editor) {
            return editor.paint(box, inside, label, name);
        }
    }

    /** A connected region relabelled. */
    record Fill(int x, int y, int label) implements EditOp {
        @Override
        public Region applyTo(MaskEditor editor) {
            return editor.floodFill(x, y, label);
        }
    }

    /** The whole mask replaced (an import, an applied prediction, a class change). */
    record Replace(LabelMask mask, String name) implements EditOp {
        @Override
        public Region applyTo(MaskEditor editor) {
            return editor.replace(mask, name);
        }
    }
}

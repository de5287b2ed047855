package org.seglight.ui.corrections;

import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import org.seglight.mask.Region;

/**
 * The viewer's repaint protocol for the mask: a revision that ticks with every change of its labels, and the
 * region changed since the viewer last asked (null: everything), so that it redraws only that.
 */
final class MaskDamage {

    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper();
    private Region dirty;

    /** Labels in {@code r} changed (nothing happens for an empty region). */
    void add(Region r) {
        if (!r.isEmpty()) {
            dirty = dirty == null ? r : dirty.union(r);
            revision.set(revision.get() + 1);
        }
    }

    /** Everything is to be redrawn. */
    void all() {
        dirty = null;
        revision.set(revision.get() + 1);
    }

    /** The region changed since the last call (null = everything), and resets it. */
    Region take() {
        Region d = dirty;
        dirty = null;
        return d;
    }

    ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }
}

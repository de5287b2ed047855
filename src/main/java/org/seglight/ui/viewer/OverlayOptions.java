package org.seglight.ui.viewer;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The display settings shared by the viewer and its controls (as QuPath's {@code OverlayOptions}): which
 * layers show, with what opacity, and which map of which class. Changing one repaints; nothing re-runs.
 */
public final class OverlayOptions {

    // Properties
    private final DoubleProperty imageOpacity = new SimpleDoubleProperty(1);
    private final BooleanProperty showMask = new SimpleBooleanProperty(true);
    private final DoubleProperty maskOpacity = new SimpleDoubleProperty(0.5);
    /** The mask drawn as each class's outline instead of filled. */
    private final BooleanProperty outlines = new SimpleBooleanProperty(false);
    private final ObjectProperty<MapKind> mapKind = new SimpleObjectProperty<>(MapKind.NONE);
    private final DoubleProperty mapOpacity = new SimpleDoubleProperty(0.6);
    /** The class (table row) whose map is shown. */
    private final IntegerProperty mapClass = new SimpleIntegerProperty(0);

    public DoubleProperty imageOpacityProperty() {
        return imageOpacity;
    }

    public BooleanProperty showMaskProperty() {
        return showMask;
    }

    public BooleanProperty outlinesProperty() {
        return outlines;
    }

    public DoubleProperty maskOpacityProperty() {
        return maskOpacity;
    }

    public ObjectProperty<MapKind> mapKindProperty() {
        return mapKind;
    }

    public DoubleProperty mapOpacityProperty() {
        return mapOpacity;
    }

    public IntegerProperty mapClassProperty() {
        return mapClass;
    }
}

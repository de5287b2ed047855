package org.seglight.ui.prompts;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.seglight.text.ClassPrompt;

/**
 * One row of the class table: what the user calls the class, the prompt template its name goes into, its
 * colour and whether it is shown. {@code slot} is the model's class slot the row feeds, or -1 for a class the
 * model does not know (painted by hand).
 */
public final class ClassRow {

    private final StringProperty name = new SimpleStringProperty();
    private final StringProperty template = new SimpleStringProperty();
    private final IntegerProperty rgb = new SimpleIntegerProperty();
    private final BooleanProperty visible = new SimpleBooleanProperty(true);
    private final BooleanProperty locked = new SimpleBooleanProperty(false);
    private final javafx.beans.property.ReadOnlyIntegerWrapper slot = new javafx.beans.property.ReadOnlyIntegerWrapper();

    public ClassRow(ClassPrompt prompt, int slot) {
        name.set(prompt.name());
        template.set(prompt.template());
        rgb.set(prompt.rgb());
        this.slot.set(slot);
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty templateProperty() {
        return template;
    }

    /** 0xRRGGBB. */
    public IntegerProperty rgbProperty() {
        return rgb;
    }

    public BooleanProperty visibleProperty() {
        return visible;
    }

    /** Whether the brush, eraser, polygon and fill leave this class's pixels as they are (for this session). */
    public BooleanProperty lockedProperty() {
        return locked;
    }

    /** The model's class slot this row reads, or -1 for a class painted by hand. */
    public int slot() {
        return slot.get();
    }

    /** {@link #slot()} as a property, so views follow a newly loaded (or learned) model. */
    public javafx.beans.property.ReadOnlyIntegerProperty slotProperty() {
        return slot.getReadOnlyProperty();
    }

    /** Another model was loaded: the row reads this slot of it (or none, -1). */
    void setSlot(int s) {
        slot.set(s);
    }

    /** The prompt as the text encoder sees it; an invalid template falls back to the default one. */
    public ClassPrompt toPrompt() {
        String n = name.get() == null || name.get().isBlank() ? "class" : name.get().strip();
        String t = template.get();
        try {
            return new ClassPrompt(n, t == null || t.isBlank() ? ClassPrompt.DEFAULT_TEMPLATE : t, rgb.get());
        } catch (IllegalArgumentException e) {
            return new ClassPrompt(n, ClassPrompt.DEFAULT_TEMPLATE, rgb.get());
        }
    }
}

package org.seglight.annotation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.seglight.mask.LabelMask;

/**
 * Maps the labels of a saved mask onto the current class table by class name, never by label number.
 *
 * <p>A mask saved while the table read [Sky, Car] and opened after the user reordered it to [Car, Sky] must not
 * turn the sky into cars: the saved JSON names each label's class, and this matches those names (ignoring case
 * and surrounding spaces) to the current ones. Saved classes no longer in the table are reported, so the user
 * can be told which painted pixels are about to lose their class. Given the model slot each class reads, a
 * renamed class follows its slot.
 */
public final class ClassMatch {

    private final List<String> saved;
    private final int currentSize;
    private final int[] remap;
    private final List<String> missing;

    private ClassMatch(List<String> saved, int currentSize, int[] remap, List<String> missing) {
        this.saved = saved;
        this.currentSize = currentSize;
        this.remap = remap;
        this.missing = missing;
    }

    /**
     * The match of a saved mask's classes onto the current ones, by name alone.
     *
     * @param savedNames the classes of the saved mask, label k being the k-th
     * @param currentNames the current class table, label k being the k-th; at most 255 classes, since label
     *     {@link LabelMask#VOID} is taken; when two share a name the first is used
     */
    public static ClassMatch of(List<String> savedNames, List<String> currentNames) {
        return of(savedNames, null, currentNames, null);
    }

    /**
     * As {@link #of(List, List)}, and a saved class whose name the table lacks then follows its model slot: it
     * becomes the first current class reading the same slot that no saved class matched by name (a class the
     * user renamed keeps its pixels). A slot of {@link ProjectClass#PAINTED} follows nothing. Slots only mean
     * the same class under the same model; the caller passes null slots when the model changed.
     *
     * @param savedSlots the model slot of each saved class, or null for none
     * @param currentSlots the model slot of each current class, or null for none
     */
    public static ClassMatch of(List<String> savedNames, List<Integer> savedSlots, List<String> currentNames,
            List<Integer> currentSlots) {
        if (savedNames.stream().anyMatch(Objects::isNull) || currentNames.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("A class name is missing: every class needs one to be matched");
        }
        List<String> saved = List.copyOf(savedNames);
        List<String> current = List.copyOf(currentNames);
        if (current.size() > LabelMask.VOID) {
            throw new IllegalArgumentException("At most " + LabelMask.VOID + " classes fit in a mask, got "
                    + current.size());
        }
        checkSlots(savedSlots, saved.size(), "saved");
        checkSlots(currentSlots, current.size(), "current");
        Map<String, Integer> byName = new HashMap<>();
        for (int k = 0; k < current.size(); k++) {
            byName.putIfAbsent(key(current.get(k)), k);
        }
        int[] remap = new int[saved.size()];
        boolean[] taken = new boolean[current.size()];
        for (int k = 0; k < saved.size(); k++) {
            Integer to = byName.get(key(saved.get(k)));
            remap[k] = to == null ? -1 : to;
            if (to != null) {
                taken[to] = true;
            }
        }
        if (savedSlots != null && currentSlots != null) {
            for (int k = 0; k < saved.size(); k++) {
                int slot = savedSlots.get(k);
                for (int j = 0; remap[k] < 0 && slot >= 0 && j < current.size(); j++) {
                    if (!taken[j] && currentSlots.get(j) == slot) {
                        remap[k] = j;
                        taken[j] = true;
                    }
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < saved.size(); k++) {
            if (remap[k] < 0) {
                missing.add(saved.get(k));
            }
        }
        return new ClassMatch(saved, current.size(), remap, List.copyOf(missing));
    }

    /** For each saved label, the current label of the same class, or -1 where the class is gone. */
    public int[] remap() {
        return remap.clone();
    }

    /** The saved classes that the current table lacks, in saved order. */
    public List<String> missing() {
        return missing;
    }

    /** Whether every saved label keeps its number, so a saved mask can be used as it is. */
    public boolean isIdentity() {
        for (int k = 0; k < remap.length; k++) {
            if (remap[k] != k) {
                return false;
            }
        }
        return true;
    }

    /**
     * The saved mask in current labels: each class moves to its current label; a missing class's pixels get
     * {@code missingTo}; {@link LabelMask#VOID} stays void, and a label beyond the saved classes becomes void.
     *
     * @param missingTo a current label or {@link LabelMask#VOID}
     */
    public LabelMask apply(LabelMask saved, int missingTo) {
        if (missingTo != LabelMask.VOID && (missingTo < 0 || missingTo >= currentSize)) {
            throw new IllegalArgumentException("Pixels of a missing class need a current label"
                    + (currentSize > 0 ? " (0 to " + (currentSize - 1) + ")" : "") + " or void (" + LabelMask.VOID
                    + "), got " + missingTo);
        }
        byte[] table = new byte[256];
        Arrays.fill(table, (byte) LabelMask.VOID);
        for (int k = 0; k < remap.length && k < LabelMask.VOID; k++) {
            table[k] = (byte) (remap[k] >= 0 ? remap[k] : missingTo);
        }
        byte[] labels = saved.toBytes();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = table[labels[i] & 0xff];
        }
        return new LabelMask(saved.width(), saved.height(), labels);
    }

    /** The missing classes that have pixels in the saved mask: those whose loss the user would notice. */
    public List<String> missingPresent(LabelMask saved) {
        long[] histogram = saved.histogram();
        List<String> present = new ArrayList<>();
        for (int k = 0; k < remap.length && k < LabelMask.VOID; k++) {
            if (remap[k] < 0 && histogram[k] > 0) {
                present.add(this.saved.get(k));
            }
        }
        return present;
    }

    private static void checkSlots(List<Integer> slots, int classes, String which) {
        if (slots != null && (slots.size() != classes || slots.stream().anyMatch(Objects::isNull))) {
            throw new IllegalArgumentException("The " + which + " classes need one model slot each: " + classes
                    + " classes, " + slots.size() + " slots");
        }
    }

    private static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }
}

package org.seglight.text;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The ordered classes a model labels; class index k is the k-th entry.
 *
 * <p>Rejects an empty list and duplicate names up front, because both would make the masks ambiguous.
 */
public record PromptSet(List<ClassPrompt> classes) {

    /** Colours for classes without one (Glasbey-like, distinct on light and dark images). */
    private static final int[] PALETTE = {
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
        0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896, 0xc5b0d5, 0xc49c94, 0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5
    };

    public PromptSet {
        if (classes == null || classes.isEmpty()) {
            throw new IllegalArgumentException("The prompt list is empty: name at least one class");
        }
        if (classes.size() > 254) {
            throw new IllegalArgumentException("At most 254 classes are supported, got " + classes.size());
        }
        Set<String> seen = new HashSet<>();
        for (ClassPrompt c : classes) {
            if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("The class name '" + c.name() + "' appears twice");
            }
        }
        classes = List.copyOf(classes);
    }

    /** Classes with the default template. */
    public static PromptSet of(String... names) {
        return new PromptSet(java.util.Arrays.stream(names).map(ClassPrompt::new).toList());
    }

    public int size() {
        return classes.size();
    }

    public List<String> names() {
        return classes.stream().map(ClassPrompt::name).toList();
    }

    public List<String> prompts() {
        return classes.stream().map(ClassPrompt::prompt).toList();
    }

    /** The display colour of class k, from the class or the default palette. */
    public int color(int k) {
        int rgb = classes.get(k).rgb();
        return rgb >= 0 ? rgb : PALETTE[k % PALETTE.length];
    }
}

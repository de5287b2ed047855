package org.seglight.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.seglight.mask.LabelMask;

class ClassMatchTest {

    private static final int V = LabelMask.VOID;

    private static LabelMask row(int... labels) {
        byte[] b = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            b[i] = (byte) labels[i];
        }
        return new LabelMask(labels.length, 1, b);
    }

    @Test
    void classesAreMatchedByNameNotByNumber() {
        ClassMatch m = ClassMatch.of(List.of("Sky", "Car", "Fence"), List.of("car", "Sky", "bus"));
        assertThat(m.remap()).containsExactly(1, 0, -1);
        assertThat(m.missing()).containsExactly("Fence");
        assertThat(m.isIdentity()).isFalse();

        LabelMask saved = row(0, 1, 2, V, 0, 7);
        assertThat(m.apply(saved, V)).isEqualTo(row(1, 0, V, V, 1, V));
        assertThat(m.apply(saved, 2)).isEqualTo(row(1, 0, 2, V, 1, V));
    }

    @Test
    void aRenamedClassFollowsItsModelSlot() {
        ClassMatch m = ClassMatch.of(List.of("Sky", "Car", "Fence"), List.of(0, 1, -1),
                List.of("car", "heaven", "bus"), List.of(1, 0, -1));
        assertThat(m.remap()).containsExactly(1, 0, -1); // Sky was renamed heaven; Fence, painted, is gone
        assertThat(m.missing()).containsExactly("Fence");

        // A name match comes first, and a class takes the pixels of one saved class only.
        ClassMatch named = ClassMatch.of(List.of("road", "street", "sky"), List.of(0, 0, 2),
                List.of("lane", "road"), List.of(0, 2));
        assertThat(named.remap()).containsExactly(1, 0, -1);
        assertThat(named.missing()).containsExactly("sky");

        // Without slots on either side, names alone decide.
        assertThat(ClassMatch.of(List.of("Sky"), null, List.of("heaven"), List.of(0)).missing())
                .containsExactly("Sky");
        assertThatThrownBy(() -> ClassMatch.of(List.of("a", "b"), List.of(0), List.of("a"), List.of(0)))
                .hasMessageContaining("one model slot each");
    }

    @Test
    void namesIgnoreCaseAndSurroundingSpaces() {
        ClassMatch m = ClassMatch.of(List.of(" road ", "PERSON"), List.of("Person", "road"));
        assertThat(m.remap()).containsExactly(1, 0);
        assertThat(m.missing()).isEmpty();
        assertThat(m.apply(row(0, 1, 1), V)).isEqualTo(row(1, 0, 0));
    }

    @Test
    void anUnchangedTableKeepsEveryLabelAndAddedClassesTakeNone() {
        ClassMatch same = ClassMatch.of(List.of("a", "b"), List.of("a", "b", "c"));
        assertThat(same.isIdentity()).isTrue();
        assertThat(same.remap()).hasSize(2);
        LabelMask saved = row(0, 1, V, 1);
        assertThat(same.apply(saved, V)).isEqualTo(saved);
    }

    @Test
    void onlyMissingClassesWithPixelsAreWorthTellingTheUser() {
        ClassMatch m = ClassMatch.of(List.of("sky", "tree", "fence", "pole"), List.of("sky", "pole"));
        assertThat(m.missing()).containsExactly("tree", "fence");
        assertThat(m.missingPresent(row(0, 2, 2, 3, V))).containsExactly("fence");
        assertThat(m.missingPresent(row(0, 3))).isEmpty();
    }

    @Test
    void theRemapIsACopy() {
        ClassMatch m = ClassMatch.of(List.of("a"), List.of("a"));
        m.remap()[0] = 5;
        assertThat(m.remap()).containsExactly(0);
    }

    @Test
    void aLabelForMissingPixelsMustFitAMask() {
        ClassMatch m = ClassMatch.of(List.of("a"), List.of("b", "c"));
        assertThatThrownBy(() -> m.apply(row(0), -1)).hasMessageContaining("0 to 1");
        assertThatThrownBy(() -> m.apply(row(0), 2)).hasMessageContaining("0 to 1").hasMessageContaining("void");
        assertThat(m.apply(row(0), 1)).isEqualTo(row(1));
        assertThatThrownBy(() -> ClassMatch.of(java.util.Arrays.asList("a", null), List.of("a")))
                .hasMessageContaining("name is missing");
    }
}

package org.seglight.ui.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.inference.ScoreMaps;
import org.seglight.mask.LabelMask;
import org.seglight.text.PromptSet;

/** The class table: what each kind of change tells its owner, and how rows map to the model's slots. */
class PromptsViewModelTest {

    @TempDir
    Path dir;

    private final PromptsViewModel vm = new PromptsViewModel();
    private final List<String> events = new ArrayList<>();
    private final List<int[]> remaps = new ArrayList<>();

    @BeforeEach
    void setUp() {
        vm.setOnWordsChanged(() -> events.add("words"));
        vm.setOnLookChanged(() -> events.add("look"));
        vm.setOnStructureChanged(r -> {
            events.add("structure");
            remaps.add(r.remap());
        });
        vm.reset(PromptSet.of("sky", "road", "car"));
        events.clear();
        remaps.clear();
    }

    @Test
    void aSearchFindsClassesByNameBestFirst() {
        vm.reset(PromptSet.of("sky", "road", "car", "road marking", "sidewalk", "Café chair", "carpet"));
        assertThat(vm.find("car")).as("starts, then within").containsExactly(2, 6);
        assertThat(vm.find("mark")).as("a word of the name").containsExactly(3);
        assertThat(vm.find("ROAD")).containsExactly(1, 3);
        assertThat(vm.find("cafe")).as("accents and case do not matter").containsExactly(5);
        assertThat(vm.find("alk")).containsExactly(4);
        assertThat(vm.find("  ")).isEmpty();
        assertThat(vm.find("tree")).isEmpty();
    }

    @Test
    void rewordingAScoredClassReRunsTheTextPathAndRecolouringOnlyRepaints() {
        vm.rows().get(1).nameProperty().set("street");
        vm.rows().get(1).templateProperty().set("a street photo of {}.");
        vm.rows().get(2).rgbProperty().set(0x123456);
        vm.rows().get(0).visibleProperty().set(false);
        assertThat(events).containsExactly("words", "words", "look", "look");
        assertThat(vm.networkPrompts().prompts()).containsExactly("a photo of a sky.", "a street photo of street.",
                "a photo of a car.");
        assertThat(vm.visible()).containsExactly(false, true, true);
        assertThat(vm.colors()[2]).isEqualTo(0x123456);
    }

    @Test
    void addRemoveAndMoveRelabelTheMaskAndKeepTheModelsSlots() {
        int added = vm.add("cone");
        assertThat(added).isEqualTo(3);
        assertThat(vm.rows().get(3).slot()).isEqualTo(-1);
        assertThat(vm.mapping().slotToRow()).containsExactly(0, 1, 2);
        vm.remove(1); // road: its pixels become void, car and cone move up
        assertThat(remaps.getLast()).containsExactly(0, LabelMask.VOID, 1, 2);
        assertThat(vm.names()).containsExactly("sky", "car", "cone");
        assertThat(vm.mapping().slotToRow()).containsExactly(0, -1, 1);
        // The network still gets all three of its prompts; the removed slot keeps the model's own words.
        assertThat(vm.networkPrompts().names()).containsExactly("sky", "road", "car");
        assertThat(vm.move(2, -1)).isEqualTo(1);
        assertThat(remaps.getLast()).containsExactly(0, 2, 1);
        assertThat(vm.names()).containsExactly("sky", "cone", "car");
        assertThat(vm.mapping().slotToRow()).containsExactly(0, -1, 2);
        assertThat(vm.mapping().slotOf(1)).isEqualTo(-1);
    }

    @Test
    void aRemovedSlotsPixelsGoToTheBestRemainingClass() {
        vm.remove(1);
        // One row of 3 pixels predicted sky, road, car; road's pixel is closer to car than to sky.
        LabelMask slots = new LabelMask(3, 1, new byte[] {0, 1, 2});
        float[] p = {
            0.8f, 0.1f, 0.1f, // sky
            0.1f, 0.6f, 0.1f, // road
            0.1f, 0.3f, 0.8f, // car
        };
        LabelMask rows = vm.mapping().toRows(slots, new ScoreMaps(3, 3, 1, 1, p));
        assertThat(rows.toBytes()).containsExactly(0, 1, 1);
    }

    @Test
    void problemsAreNamedAndStopTheModelRun() {
        assertThat(vm.problem()).isEmpty();
        vm.rows().get(2).nameProperty().set("Sky");
        assertThat(vm.problem()).contains("The name 'Sky' is used twice");
        vm.rows().get(2).nameProperty().set("car");
        vm.rows().get(0).templateProperty().set("no placeholder");
        assertThat(vm.problem().orElseThrow()).contains("needs {}");
    }

    @Test
    void aPromptSetImportsByIndexAndExportsWithTemplates() throws Exception {
        Path csv = dir.resolve("p.csv");
        Files.writeString(csv, "index,name,r,g,b,template\n0,heaven,1,2,3,a picture of the {}\n1,street,4,5,6\n"
                + "2,auto,7,8,9\n3,cone,10,11,12\n");
        vm.importCsv(csv);
        assertThat(vm.names()).containsExactly("heaven", "street", "auto", "cone");
        assertThat(vm.rows().get(3).slot()).isEqualTo(-1);
        assertThat(vm.networkPrompts().prompts().getFirst()).isEqualTo("a picture of the heaven");
        Path out = dir.resolve("out.csv");
        vm.exportCsv(out);
        assertThat(Files.readAllLines(out)).contains("0,heaven,1,2,3,a picture of the {}");
        Files.writeString(csv, "0,only\n");
        assertThatThrownBy(() -> vm.importCsv(csv)).hasMessageContaining("scores 3");
    }

    @Test
    void aClassShownAloneHidesTheOthersAndAgainShowsThemAll() {
        vm.rows().get(2).visibleProperty().set(false);
        vm.showAlone(1);
        assertThat(vm.visible()).containsExactly(false, true, false);
        assertThat(events).contains("look"); // the mask is redrawn, nothing re-segmented
        assertThat(events).doesNotContain("words", "structure");
        vm.showAlone(1);
        assertThat(vm.visible()).containsExactly(true, true, true);
        vm.showAlone(0);
        assertThat(vm.visible()).containsExactly(true, false, false);
        vm.showAlone(7); // no such row: nothing changes
        assertThat(vm.visible()).containsExactly(true, false, false);
    }
}

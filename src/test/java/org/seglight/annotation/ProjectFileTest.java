package org.seglight.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seglight.text.ClassPrompt;
import org.seglight.text.PromptSet;

class ProjectFileTest {

    @TempDir
    Path dir;

    private static final Project PROJECT = new Project(List.of(
            new ProjectClass("sky", "a photo of the {}.", 0x4682b4, true, 0),
            new ProjectClass("car", null, 0x4000c0, false, 2, true),
            new ProjectClass("scratch", "a {} on metal", 0xff0000, true, ProjectClass.PAINTED),
            new ProjectClass("dent", null, -1, true, ProjectClass.PAINTED)),
            "/models/street.seglight");

    @Test
    void aProjectComesBackAsItWasWritten() throws Exception {
        AnnotationStore store = AnnotationStore.at(dir.resolve("not yet there"));
        assertThat(ProjectFile.read(store)).isEmpty();
        assertThat(dir.resolve("not yet there")).doesNotExist();

        ProjectFile.write(store, PROJECT);
        assertThat(ProjectFile.path(store)).isEqualTo(store.root().resolve("project.json")).isRegularFile();
        Project read = ProjectFile.read(store).orElseThrow();
        assertThat(read).isEqualTo(PROJECT);
        assertThat(read.version()).isEqualTo(1);
        assertThat(read.classes().get(1).template()).isEqualTo(ClassPrompt.DEFAULT_TEMPLATE);
        assertThat(read.names()).containsExactly("sky", "car", "scratch", "dent");
        assertThat(read.prompts().color(2)).isEqualTo(0xff0000);
        assertThat(read.prompts().color(3)).isEqualTo(PromptSet.of("a", "b", "c", "d").color(3));

        Project shipped = Project.of(PromptSet.of("road", "person"), null);
        ProjectFile.write(store, shipped);
        Project again = ProjectFile.read(store).orElseThrow();
        assertThat(again).isEqualTo(shipped);
        assertThat(again.model()).isNull();
        assertThat(again.classes()).extracting(ProjectClass::slot).containsExactly(0, 1);
        assertThat(again.classes()).allMatch(ProjectClass::visible);
    }

    @Test
    void theProjectOfAFolderLivesWithItsAutosaves() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        AnnotationStore store = AnnotationStore.forFolder(images, dir.resolve("home"));
        ProjectFile.write(store, PROJECT);
        assertThat(images.resolve(".seglight/project.json")).isRegularFile();
        assertThat(ProjectFile.read(AnnotationStore.forFolder(images, dir.resolve("home")))).contains(PROJECT);
    }

    @Test
    void aCorruptFileIsReportedByNameWithWhatIsWrong() throws Exception {
        AnnotationStore store = AnnotationStore.at(dir);
        ProjectFile.write(store, PROJECT);
        Path file = ProjectFile.path(store);
        String good = Files.readString(file);

        Files.writeString(file, good.substring(0, good.length() / 2));
        assertThatThrownBy(() -> ProjectFile.read(store)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("corrupt");

        Files.writeString(file, "{\"version\": 1, \"classes\": [{\"name\": \"sky\", \"rgb\": \"blue\"}]}");
        assertThatThrownBy(() -> ProjectFile.read(store)).isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt").hasMessageContaining("#RRGGBB");

        Files.writeString(file, "{\"version\": 1, \"classes\": [{\"rgb\": \"#FFFFFF\"}]}");
        assertThatThrownBy(() -> ProjectFile.read(store)).hasMessageContaining("lacks a name");

        Files.writeString(file, "{\"version\": 1}");
        assertThatThrownBy(() -> ProjectFile.read(store)).hasMessageContaining("class list is missing");

        Files.writeString(file, "{\"classes\": []}");
        assertThatThrownBy(() -> ProjectFile.read(store)).hasMessageContaining("version is missing");

        Files.writeString(file, good.replace("\"car\"", "\"SKY\""));
        assertThatThrownBy(() -> ProjectFile.read(store)).hasMessageContaining("corrupt")
                .hasMessageContaining("appears twice");

        Files.writeString(file, "[1, 2]");
        assertThatThrownBy(() -> ProjectFile.read(store)).hasMessageContaining("not a JSON object");
    }

    @Test
    void aFileFromANewerSeglightIsRefused() throws Exception {
        AnnotationStore store = AnnotationStore.at(dir);
        Files.writeString(dir.resolve("project.json"),
                "{\"version\": 2, \"layers\": {\"what\": \"a later format\"}}");
        assertThatThrownBy(() -> ProjectFile.read(store)).isInstanceOf(IOException.class)
                .hasMessageContaining(dir.resolve("project.json").toString())
                .hasMessageContaining("newer Seglight").hasMessageContaining("version 2")
                .hasMessageContaining("update Seglight");
    }

    @Test
    void aClassTableIsChecked() {
        ProjectClass sky = new ProjectClass("sky", null, 0x4682b4, true, 0);
        assertThatThrownBy(() -> new Project(List.of(sky, new ProjectClass(" Sky ", null, 0, true, 1)), null))
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> new ProjectClass("car", null, 0x1000000, true, 0)).hasMessageContaining("0xRRGGBB");
        assertThatThrownBy(() -> new ProjectClass("car", null, 0, true, -2)).hasMessageContaining("-1");
        assertThatThrownBy(() -> new ProjectClass("car", "no placeholder", 0, true, 0)).hasMessageContaining("{}");
        assertThatThrownBy(() -> new Project(List.of(sky), null, 2)).hasMessageContaining("version 2");
    }
}

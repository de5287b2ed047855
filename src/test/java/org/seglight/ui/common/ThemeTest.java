package org.seglight.ui.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The look lives in assets/: the jar carries it, and the views use its classes instead of inline styles. */
class ThemeTest {

    private static final Path UI_SOURCES = Path.of("src/main/java/org/seglight/ui");

    @Test
    void stylesheetAndIconComeFromAssets() throws IOException {
        String css = resource(Theme.STYLESHEET);
        assertThat(css).isEqualTo(Files.readString(Path.of("assets/css/seglight.css")));
        try (InputStream in = Theme.class.getResourceAsStream(Theme.ICON)) {
            assertThat(in).as(Theme.ICON).isNotNull();
            var icon = ImageIO.read(in);
            assertThat(icon.getWidth()).isEqualTo(256);
            assertThat(icon.getHeight()).isEqualTo(256);
        }
    }

    @Test
    void viewsUseStyleClassesThatTheStylesheetDefines() throws IOException {
        String css = resource(Theme.STYLESHEET);
        Set<String> defined = new HashSet<>();
        Matcher d = Pattern.compile("\\.([a-z][a-z0-9-]*)\\s*\\{").matcher(css);
        while (d.find()) {
            defined.add(d.group(1));
        }
        Set<String> used = new HashSet<>();
        List<String> inline = new java.util.ArrayList<>();
        Pattern use = Pattern.compile("getStyleClass\\(\\)\\.(?:add|addAll|setAll)\\(\"([a-z0-9-]+)\"");
        try (Stream<Path> files = Files.walk(UI_SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                Matcher m = use.matcher(src);
                while (m.find()) {
                    used.add(m.group(1));
                }
                if (src.contains(".setStyle(") || src.contains(" setStyle(")) {
                    inline.add(f.getFileName().toString());
                }
            }
        }
        assertThat(inline).as("views with inline setStyle calls (move them to assets/css/seglight.css)").isEmpty();
        assertThat(used).as("style classes used by the views").isNotEmpty();
        assertThat(defined).as("classes defined in assets/css/seglight.css").containsAll(used);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Theme.class.getResourceAsStream(name)) {
            assertThat(in).as(name + " on the class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

package org.seglight.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.seglight.text.ClassPrompt;
import org.seglight.text.PromptSet;

/**
 * A {@code classes.csv} ({@code index,name[,r,g,b]}, header optional) as used by CamVid and by Seglight's
 * exports.
 */
public final class ClassList {

    /**
     * One row.
     *
     * @param rgb 0xRRGGBB, or -1 when the row gives no colour
     * @param template the prompt template of the optional sixth column, or null
     */
    public record Entry(int index, String name, int rgb, String template) {}

    public static List<Entry> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || (i == 0 && line.toLowerCase().startsWith("index"))) {
                continue;
            }
            String[] f = line.split(",", 6);
            try {
                int index = Integer.parseInt(f[0].strip());
                String name = f.length > 1 ? f[1].strip() : "";
                int rgb = f.length >= 5 ? rgb(f[2], f[3], f[4]) : -1;
                if (name.isEmpty() || index < 0 || index > 255) {
                    throw new NumberFormatException();
                }
                String template = f.length == 6 && !f[5].isBlank() ? f[5].strip() : null;
                out.add(new Entry(index, name, rgb, template));
            } catch (NumberFormatException e) {
                throw new IOException(file.getFileName() + " line " + (i + 1)
                        + ": expected 'index,name[,r,g,b]' with index 0..255, got '" + line + "'");
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file.getFileName() + " names no classes");
        }
        return out;
    }

    /**
     * The classes as prompts, in index order, leaving out {@code voidIndex}; indices must then run 0..K-1.
     */
    public static PromptSet toPrompts(List<Entry> entries, int voidIndex, String template) throws IOException {
        List<ClassPrompt> classes = new ArrayList<>();
        for (Entry e : entries.stream().sorted((a, b) -> Integer.compare(a.index(), b.index())).toList()) {
            if (e.index() == voidIndex) {
                continue;
            }
            if (e.index() != classes.size()) {
                throw new IOException("Class indices must run 0..K-1 without gaps (apart from the void index);"
                        + " '" + e.name() + "' has index " + e.index());
            }
            classes.add(new ClassPrompt(e.name(), e.template() != null ? e.template() : template, e.rgb()));
        }
        return new PromptSet(classes);
    }

    /** Writes {@code index,name,r,g,b,template} for each class (the template column is optional on reading). */
    public static void write(Path file, PromptSet prompts) throws IOException {
        StringBuilder sb = new StringBuilder("index,name,r,g,b,template\n");
        for (int k = 0; k < prompts.size(); k++) {
            int c = prompts.color(k);
            sb.append(k).append(',').append(prompts.classes().get(k).name()).append(',')
                    .append(c >> 16 & 0xff).append(',').append(c >> 8 & 0xff).append(',').append(c & 0xff)
                    .append(',').append(prompts.classes().get(k).template()).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private static int rgb(String r, String g, String b) {
        return Integer.parseInt(r.strip()) << 16 | Integer.parseInt(g.strip()) << 8 | Integer.parseInt(b.strip());
    }

    private ClassList() {}
}

package org.seglight.ui.prompts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.seglight.annotation.Project;
import org.seglight.annotation.ProjectClass;
import org.seglight.text.ClassPrompt;
import org.seglight.text.PromptSet;

/**
 * The class table's rows as plain lists: built from a model, a saved project or a class list, matched to another
 * model's slots, checked, and turned into what the network, the masks and the project file read. The
 * {@link PromptsViewModel} owns the rows and says what each change costs; this class only computes.
 */
final class ClassRows {

    private ClassRows() {}

    /** One row per slot of a model, in slot order. */
    static List<ClassRow> ofModel(PromptSet model) {
        List<ClassRow> out = new ArrayList<>();
        for (int k = 0; k < model.size(); k++) {
            ClassPrompt p = model.classes().get(k);
            out.add(new ClassRow(new ClassPrompt(p.name(), p.template(), model.color(k)), k));
        }
        return out;
    }

    /** The rows of a saved project; slots beyond the loaded model's classes (if one is loaded) read none. */
    static List<ClassRow> ofProject(Project project, PromptSet model) {
        List<ClassRow> out = new ArrayList<>();
        for (var c : project.classes()) {
            int slot = model != null && c.slot() >= model.size() ? -1 : c.slot();
            ClassRow row = new ClassRow(new ClassPrompt(c.name(), c.template(), c.rgb()), slot);
            row.visibleProperty().set(c.visible());
            row.lockedProperty().set(c.locked());
            out.add(row);
        }
        return out;
    }

    /** The rows of a class list: row i reads model slot i while the model has one, later rows are painted by hand. */
    static List<ClassRow> ofList(PromptSet list, int modelClasses) {
        List<ClassRow> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(new ClassRow(new ClassPrompt(list.classes().get(i).name(), list.classes().get(i).template(),
                    list.color(i)), i < modelClasses ? i : -1));
        }
        return out;
    }

    /**
     * Points the rows at another model's slots: the same slots when it has the same classes as {@code old} (a
     * device switch, a reload, or the first model of a restored table), else the slot of the class with the
     * row's name, or none.
     */
    static void adoptSlots(List<ClassRow> rows, PromptSet old, PromptSet model) {
        boolean same = old == null || old.names().equals(model.names());
        for (ClassRow r : rows) {
            if (!same) {
                int s = -1;
                for (int k = 0; k < model.size(); k++) {
                    if (model.names().get(k).equalsIgnoreCase(r.toPrompt().name())) {
                        s = k;
                    }
                }
                r.setSlot(s);
            } else if (r.slot() >= model.size()) {
                r.setSlot(-1);
            }
        }
    }

    /** The table as a project saves it, under its {@link #uniqueNames}. */
    static List<ProjectClass> toProjectClasses(List<ClassRow> rows) {
        List<String> n = uniqueNames(rows);
        List<ProjectClass> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            ClassRow r = rows.get(i);
            out.add(new ProjectClass(n.get(i), r.toPrompt().template(), r.rgbProperty().get(),
                    r.visibleProperty().get(), r.slot(), r.lockedProperty().get()));
        }
        return out;
    }

    /**
     * The rows' names, made unique: while the table names a class twice (a {@link #problem} the user is still
     * fixing), the later one reads "name (2)", so that saves and exports made meanwhile stay unambiguous.
     */
    static List<String> uniqueNames(List<ClassRow> rows) {
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>(rows.size());
        for (ClassRow r : rows) {
            String base = r.toPrompt().name();
            String n = base;
            for (int i = 2; !seen.add(n.strip().toLowerCase(Locale.ROOT)); i++) {
                n = base + " (" + i + ")";
            }
            out.add(n);
        }
        return out;
    }

    /** A name for an added row that no row has yet: {@code base}, else "base 2", "base 3", … */
    static String freshName(List<ClassRow> rows, String base) {
        Set<String> names = new HashSet<>();
        rows.forEach(r -> names.add(String.valueOf(r.nameProperty().get()).toLowerCase(Locale.ROOT)));
        String n = base;
        for (int i = 2; names.contains(n.toLowerCase(Locale.ROOT)); i++) {
            n = base + " " + i;
        }
        return n;
    }

    /** What is wrong with the table as the model would read it, if anything (for example a name used twice). */
    static Optional<String> problem(List<ClassRow> rows) {
        Set<String> seen = new HashSet<>();
        for (ClassRow r : rows) {
            String n = r.nameProperty().get() == null ? "" : r.nameProperty().get().strip();
            if (n.isEmpty()) {
                return Optional.of("A class has no name");
            }
            if (!seen.add(n.toLowerCase(Locale.ROOT))) {
                return Optional.of("The name '" + n + "' is used twice");
            }
            String t = r.templateProperty().get();
            if (t != null && !t.isBlank() && !t.contains("{}")) {
                return Optional.of("The template of '" + n + "' needs {} where the name goes");
            }
        }
        return Optional.empty();
    }

    /** The label map that changes nothing, for {@code n} rows. */
    static int[] identityRemap(int n) {
        int[] m = new int[n];
        for (int i = 0; i < n; i++) {
            m[i] = i;
        }
        return m;
    }
}

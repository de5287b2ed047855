package org.seglight.ui.prompts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.Observable;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.seglight.annotation.Project;
import org.seglight.annotation.ProjectClass;
import org.seglight.inference.SlotMapping;
import org.seglight.io.ClassList;
import org.seglight.mask.LabelMask;
import org.seglight.text.ClassPrompt;
import org.seglight.text.PromptSet;

/**
 * The class table: rows the user renames, rewords, recolours, hides, adds, removes and reorders. It tells its
 * owner what kind of change happened, because each costs differently: a prompt's words re-run the text path,
 * a colour only repaints, and a structural change relabels the mask.
 */
public final class PromptsViewModel {

    /** Distinct colours for added classes. */
    private static final int[] NEW_COLORS = {0xe6194b, 0x3cb44b, 0xffe119, 0x4363d8, 0xf58231, 0x911eb4, 0x46f0f0,
        0xf032e6, 0xbcf60c, 0xfabebe, 0x008080, 0xe6beff};

    // Properties
    private final ObservableList<ClassRow> rows = FXCollections.observableArrayList(r -> new Observable[] {
        r.nameProperty(), r.templateProperty(), r.rgbProperty(), r.visibleProperty()});
    private PromptSet modelPrompts;

    private Runnable onWordsChanged = () -> {};
    private Runnable onLookChanged = () -> {};
    private Consumer<TableChange> onStructureChanged = c -> {};
    private java.util.function.IntPredicate confirmRemove = i -> true;

    /**
     * A change of the table's rows: {@code remap} takes a label of the rows {@code before} to one of the rows
     * {@code after} (void for a removed row); null when the table was replaced as a whole.
     */
    public record TableChange(String name, List<ClassRow> before, List<ClassRow> after, int[] remap) {}

    /** Rows of the loaded model, one per slot, in slot order. */
    public void reset(PromptSet model) {
        modelPrompts = model;
        List<ClassRow> fresh = ClassRows.ofModel(model);
        fresh.forEach(this::watch);
        List<ClassRow> before = List.copyOf(rows);
        rows.setAll(fresh);
        onStructureChanged.accept(new TableChange("Reset classes", before, List.copyOf(rows), null));
    }

    /**
     * Another model was loaded. An empty table takes its classes; otherwise the rows stay as the user made them
     * and read the new model's slots: the same slots when the model has the same classes (a device switch, a
     * reload), else the slot of the class with the row's name, or none.
     */
    public void adoptModel(PromptSet model) {
        PromptSet old = modelPrompts;
        if (rows.isEmpty()) {
            reset(model);
            return;
        }
        modelPrompts = model;
        ClassRows.adoptSlots(rows, old, model);
        onWordsChanged.run();
    }

    /** Puts back rows as they were (an undo or redo of a table change); labels already follow them. */
    public void restore(List<ClassRow> saved) {
        rows.setAll(saved);
        onLookChanged.run();
        onWordsChanged.run();
    }

    /** The rows of a saved project; slots beyond the loaded model's classes read none. */
    public void restore(Project project) {
        List<ClassRow> fresh = ClassRows.ofProject(project, modelPrompts);
        fresh.forEach(this::watch);
        List<ClassRow> before = List.copyOf(rows);
        rows.setAll(fresh);
        onStructureChanged.accept(new TableChange("Restore classes", before, List.copyOf(rows), null));
        onWordsChanged.run();
    }

    /** The table as a project saves it. */
    public List<ProjectClass> toProjectClasses() {
        return ClassRows.toProjectClasses(rows);
    }

    /** Asked before a row is removed; false keeps it. */
    public void setConfirmRemove(java.util.function.IntPredicate p) {
        confirmRemove = p;
    }

    private void watch(ClassRow row) {
        row.nameProperty().addListener((o, a, b) -> wordsChanged(row));
        row.templateProperty().addListener((o, a, b) -> wordsChanged(row));
        row.rgbProperty().addListener((o, a, b) -> onLookChanged.run());
        row.visibleProperty().addListener((o, a, b) -> onLookChanged.run());
        row.lockedProperty().addListener((o, a, b) -> onLockChanged.run());
    }

    private Runnable onLockChanged = () -> { };

    /** Called when a class is locked or unlocked (the project keeps it; nothing is drawn or segmented again). */
    public void setOnLockChanged(Runnable r) {
        onLockChanged = r;
    }

    private void wordsChanged(ClassRow row) {
        if (row.slot() >= 0) {
            onWordsChanged.run();
        } else {
            onLookChanged.run();
        }
    }

    // Commands

    /** Adds a class the model does not score (to paint by hand); returns its row. */
    public int add(String name) {
        String n = ClassRows.freshName(rows, name == null || name.isBlank() ? "new class" : name.strip());
        ClassRow row = new ClassRow(new ClassPrompt(n, ClassPrompt.DEFAULT_TEMPLATE,
                NEW_COLORS[rows.size() % NEW_COLORS.length]), -1);
        watch(row);
        List<ClassRow> before = List.copyOf(rows);
        rows.add(row);
        onStructureChanged.accept(new TableChange("Add class " + n, before, List.copyOf(rows),
                ClassRows.identityRemap(before.size())));
        return rows.size() - 1;
    }

    /**
     * Removes a row once the user confirmed it; its pixels in the mask become void and later rows move up.
     *
     * @return whether it was removed
     */
    public boolean remove(int index) {
        if (rows.size() <= 1) {
            throw new IllegalArgumentException("At least one class must remain");
        }
        if (!confirmRemove.test(index)) {
            return false;
        }
        int[] remap = ClassRows.identityRemap(rows.size());
        remap[index] = LabelMask.VOID;
        for (int r = index + 1; r < rows.size(); r++) {
            remap[r] = r - 1;
        }
        List<ClassRow> before = List.copyOf(rows);
        ClassRow gone = rows.remove(index);
        onStructureChanged.accept(new TableChange("Remove class " + gone.toPrompt().name(), before,
                List.copyOf(rows), remap));
        return true;
    }

    /** Moves a row up (delta -1) or down (+1); mask labels follow. Returns the row's new index. */
    public int move(int index, int delta) {
        int to = index + delta;
        if (to < 0 || to >= rows.size() || delta == 0) {
            return index;
        }
        int[] remap = ClassRows.identityRemap(rows.size());
        remap[index] = to;
        remap[to] = index;
        List<ClassRow> before = List.copyOf(rows);
        ClassRow row = rows.remove(index);
        rows.add(to, row);
        onStructureChanged.accept(new TableChange("Move class " + row.toPrompt().name(), before, List.copyOf(rows),
                remap));
        return to;
    }

    /**
     * Reads a prompt set (index,name[,r,g,b[,template]]): row i takes model slot i, so a reworded list keeps
     * the model's classes; rows beyond the model's classes are added for painting by hand.
     */
    public void importCsv(Path file) throws IOException {
        PromptSet p = ClassList.toPrompts(ClassList.read(file), -1, ClassPrompt.DEFAULT_TEMPLATE);
        int k = modelPrompts == null ? 0 : modelPrompts.size();
        if (p.size() < k) {
            throw new IOException(file.getFileName() + " names " + p.size() + " classes; this model scores " + k
                    + ", so the list must name at least those (in the model's order)");
        }
        List<ClassRow> fresh = ClassRows.ofList(p, k);
        fresh.forEach(this::watch);
        List<ClassRow> before = List.copyOf(rows);
        rows.setAll(fresh);
        onStructureChanged.accept(new TableChange("Import classes", before, List.copyOf(rows), null));
        onWordsChanged.run();
    }

    public void exportCsv(Path file) throws IOException {
        ClassList.write(file, rowPrompts());
    }

    // Derived state

    public ObservableList<ClassRow> rows() {
        return rows;
    }

    /**
     * The rows a search finds, best first: names that start with the query, then names with a word that does,
     * then names and templates that hold it anywhere; case and accents do not matter. Empty for a blank query.
     */
    public List<Integer> find(String query) {
        String q = fold(query == null ? "" : query.strip());
        if (q.isEmpty()) {
            return List.of();
        }
        List<Integer> starts = new java.util.ArrayList<>();
        List<Integer> words = new java.util.ArrayList<>();
        List<Integer> within = new java.util.ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String name = fold(rows.get(i).nameProperty().get());
            if (name.startsWith(q)) {
                starts.add(i);
            } else if ((" " + name).contains(" " + q) || name.contains("-" + q) || name.contains("_" + q)) {
                words.add(i);
            } else if (name.contains(q)) {
                within.add(i);
            }
        }
        starts.addAll(words);
        starts.addAll(within);
        return starts;
    }

    private static String fold(String s) {
        return s == null ? "" : java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** What is wrong with the table as the model would read it, if anything (for example a name used twice). */
    public Optional<String> problem() {
        return ClassRows.problem(rows);
    }

    /** The classes in table order, as exports and the mask's label values use them. */
    public PromptSet rowPrompts() {
        List<String> n = names();
        List<ClassPrompt> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            ClassPrompt p = rows.get(i).toPrompt();
            out.add(new ClassPrompt(n.get(i), p.template(), p.rgb()));
        }
        return new PromptSet(out);
    }

    /** The K prompts the network needs, in slot order; a removed slot keeps the model's own prompt. */
    public PromptSet networkPrompts() {
        if (modelPrompts == null) {
            return null;
        }
        List<ClassPrompt> out = new ArrayList<>(modelPrompts.classes());
        for (ClassRow r : rows) {
            if (r.slot() >= 0) {
                out.set(r.slot(), r.toPrompt());
            }
        }
        return new PromptSet(out);
    }

    public SlotMapping mapping() {
        int[] m = new int[modelPrompts == null ? 0 : modelPrompts.size()];
        java.util.Arrays.fill(m, -1);
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r).slot() >= 0 && rows.get(r).slot() < m.length) {
                m[rows.get(r).slot()] = r;
            }
        }
        return new SlotMapping(m);
    }

    public int[] colors() {
        return rows.stream().mapToInt(r -> r.rgbProperty().get()).toArray();
    }

    /**
     * Shows class {@code row} alone (every other class hidden); when it is already shown alone, shows every
     * class again.
     */
    public void showAlone(int row) {
        if (row < 0 || row >= rows.size()) {
            return;
        }
        boolean alone = true;
        for (int i = 0; i < rows.size(); i++) {
            alone &= rows.get(i).visibleProperty().get() == (i == row);
        }
        for (int i = 0; i < rows.size(); i++) {
            rows.get(i).visibleProperty().set(alone || i == row);
        }
    }

    /** Per row: whether the class is locked against overpainting. */
    public boolean[] locked() {
        return perRow(ClassRow::lockedProperty);
    }

    private boolean[] perRow(java.util.function.Function<ClassRow, javafx.beans.property.BooleanProperty> flag) {
        boolean[] v = new boolean[rows.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = flag.apply(rows.get(i)).get();
        }
        return v;
    }

    public boolean[] visible() {
        return perRow(ClassRow::visibleProperty);
    }

    /**
     * The rows' names, made unique: while the table names a class twice (a {@link #problem()} the user is still
     * fixing), the later one reads "name (2)", so that saves and exports made meanwhile stay unambiguous.
     */
    public List<String> names() {
        return ClassRows.uniqueNames(rows);
    }

    /** Each row's model slot (-1: painted by hand). */
    public List<Integer> slots() {
        return rows.stream().map(ClassRow::slot).toList();
    }

    /** The model's classes, one per slot, or null before a model is loaded. */
    public PromptSet modelPrompts() {
        return modelPrompts;
    }

    // Wiring

    /** Called when the words of a class the model scores change (re-run the text path). */
    public void setOnWordsChanged(Runnable r) {
        onWordsChanged = r;
    }

    /** Called when only colours, visibility or hand-painted classes change (repaint). */
    public void setOnLookChanged(Runnable r) {
        onLookChanged = r;
    }

    /** Called after rows were added, removed, moved or replaced. */
    public void setOnStructureChanged(Consumer<TableChange> c) {
        onStructureChanged = c;
    }
}

package org.seglight.annotation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.seglight.text.PromptSet;

/**
 * The class table of an image folder, and the model that fills it, kept in {@code project.json} ({@link
 * ProjectFile}) so that reopening the folder brings back the classes the masks were painted with.
 *
 * <p>Class names are unique regardless of case and surrounding spaces, because saved masks are matched to the
 * table by name ({@link ClassMatch}).
 *
 * @param classes the classes in label order: label k is the k-th entry
 * @param model the model file the user chose, or null for the shipped default
 * @param version the format version, {@link #VERSION}
 */
public record Project(List<ProjectClass> classes, String model, int version) {

    /** The version this Seglight writes and the newest it reads. */
    public static final int VERSION = 1;

    public Project {
        if (classes == null) {
            throw new IllegalArgumentException("A project needs a class list (it may be empty)");
        }
        if (version != VERSION) {
            throw new IllegalArgumentException("Project version " + version + " is not supported; this Seglight"
                    + " reads version " + VERSION);
        }
        if (classes.size() > 254) {
            throw new IllegalArgumentException("At most 254 classes are supported, got " + classes.size());
        }
        Set<String> seen = new HashSet<>();
        for (ProjectClass c : classes) {
            if (c == null) {
                throw new IllegalArgumentException("The class list of a project has an empty entry");
            }
            if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("The class name '" + c.name() + "' appears twice");
            }
        }
        classes = List.copyOf(classes);
        model = model == null || model.isBlank() ? null : model;
    }

    /** A project of the current {@link #VERSION}. */
    public Project(List<ProjectClass> classes, String model) {
        this(classes, model, VERSION);
    }

    /**
     * The project for a prompt set as a model predicts it: every class visible, class k reading slot k, in the
     * colours the overlay shows.
     */
    public static Project of(PromptSet prompts, String model) {
        List<ProjectClass> classes = new ArrayList<>();
        for (int k = 0; k < prompts.size(); k++) {
            var c = prompts.classes().get(k);
            classes.add(new ProjectClass(c.name(), c.template(), prompts.color(k), true, k));
        }
        return new Project(classes, model);
    }

    /** The class names in label order. */
    public List<String> names() {
        return classes.stream().map(ProjectClass::name).toList();
    }

    /**
     * The classes as a prompt set, in label order.
     *
     * @throws IllegalArgumentException when the table is empty (a prompt set names at least one class)
     */
    public PromptSet prompts() {
        return new PromptSet(classes.stream().map(ProjectClass::prompt).toList());
    }
}

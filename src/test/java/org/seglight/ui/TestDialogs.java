package org.seglight.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.seglight.ui.common.DialogService;

/**
 * The tests' {@link DialogService}: records every error, answers the folder chooser with {@link #folder}, and
 * shows messages through {@code messages} when given (the real FX alerts, so TestFX can see them).
 */
public final class TestDialogs implements DialogService {

    public final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Every question asked, title and message. */
    public final List<String> confirms = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The answer to every question. */
    public volatile boolean answer = true;
    /** Every choice offered: title, message and the choices. */
    public final List<String> choices = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The index picked in every choice: 0, the default, as a user who presses Enter. */
    public volatile int choice;
    public Path folder;
    private final DialogService messages;

    public TestDialogs(DialogService messages) {
        this.messages = messages;
    }

    public TestDialogs() {
        this(null);
    }

    @Override
    public void showError(String title, String message) {
        errors.add(title + ": " + message);
        if (messages != null) {
            messages.showError(title, message);
        }
    }

    @Override
    public void showInfo(String title, String message) {
        if (messages != null) {
            messages.showInfo(title, message);
        }
    }

    @Override
    public boolean confirm(String title, String message) {
        confirms.add(title + ": " + message);
        return answer;
    }

    @Override
    public int choose(String title, String message, List<String> offered) {
        choices.add(title + ": " + message + " " + offered);
        return choice;
    }

    @Override
    public List<Path> chooseFiles(String title, String description, List<String> extensions) {
        return List.of();
    }

    @Override
    public Optional<Path> chooseFolder(String title) {
        return Optional.ofNullable(folder);
    }

    @Override
    public Optional<Path> chooseSaveFile(String title, String name, String description, List<String> ext) {
        return Optional.empty();
    }
}

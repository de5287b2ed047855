package org.seglight.ui.common;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Every dialog the app shows goes through here (as JabRef's {@code DialogService}), so view-models never
 * touch windows and tests can answer dialogs themselves.
 */
public interface DialogService {

    /** A problem the user should know about; {@code message} is plain language, no stack trace. */
    void showError(String title, String message);

    void showInfo(String title, String message);

    boolean confirm(String title, String message);

    /**
     * Asks the user to pick one of {@code choices}, the labels of its buttons. The first is the default: the one
     * Enter picks, and the answer when the dialog is closed without a choice, so it should be the safe one.
     *
     * @return the index of the choice
     */
    int choose(String title, String message, List<String> choices);

    /** Files to open, filtered by a description and extensions such as {@code "*.png"}. */
    List<Path> chooseFiles(String title, String description, List<String> extensions);

    Optional<Path> chooseFolder(String title);

    Optional<Path> chooseSaveFile(String title, String initialName, String description, List<String> extensions);
}

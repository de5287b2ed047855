package org.seglight.ui.common;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** {@link DialogService} with JavaFX alerts and the platform's file choosers, owned by the main window. */
public final class FxDialogService implements DialogService {

    private final Window owner;
    private File lastFolder;

    public FxDialogService(Window owner) {
        this.owner = owner;
    }

    @Override
    public void showError(String title, String message) {
        alert(Alert.AlertType.ERROR, title, message).showAndWait();
    }

    @Override
    public void showInfo(String title, String message) {
        alert(Alert.AlertType.INFORMATION, title, message).showAndWait();
    }

    @Override
    public boolean confirm(String title, String message) {
        return alert(Alert.AlertType.CONFIRMATION, title, message).showAndWait().filter(ButtonType.OK::equals)
                .isPresent();
    }

    @Override
    public int choose(String title, String message, List<String> choices) {
        Alert a = alert(Alert.AlertType.CONFIRMATION, title, message);
        a.getDialogPane().setId("dialog-choice");
        List<ButtonType> buttons = new java.util.ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            // The first is the cancel button too, so Escape and closing the window give the safe answer.
            buttons.add(new ButtonType(choices.get(i), i == 0 ? ButtonBar.ButtonData.CANCEL_CLOSE
                    : ButtonBar.ButtonData.OTHER));
        }
        a.getButtonTypes().setAll(buttons);
        for (int i = 0; i < buttons.size(); i++) {
            ((Button) a.getDialogPane().lookupButton(buttons.get(i))).setDefaultButton(i == 0);
        }
        return a.showAndWait().map(buttons::indexOf).filter(i -> i >= 0).orElse(0);
    }

    private Alert alert(Alert.AlertType type, String title, String message) {
        Alert a = new Alert(type, message);
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(title);
        a.getDialogPane().setId("dialog-" + type.name().toLowerCase());
        a.getDialogPane().setMinWidth(420);
        a.getDialogPane().getStylesheets().add(Theme.stylesheet());
        return a;
    }

    @Override
    public List<Path> chooseFiles(String title, String description, List<String> extensions) {
        FileChooser c = fileChooser(title, description, extensions);
        List<File> files = c.showOpenMultipleDialog(owner);
        if (files == null || files.isEmpty()) {
            return List.of();
        }
        lastFolder = files.getFirst().getParentFile();
        return files.stream().map(File::toPath).toList();
    }

    @Override
    public Optional<Path> chooseFolder(String title) {
        DirectoryChooser c = new DirectoryChooser();
        c.setTitle(title);
        if (lastFolder != null && lastFolder.isDirectory()) {
            c.setInitialDirectory(lastFolder);
        }
        File f = c.showDialog(owner);
        if (f != null) {
            lastFolder = f;
        }
        return Optional.ofNullable(f).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseSaveFile(String title, String initialName, String description,
            List<String> extensions) {
        FileChooser c = fileChooser(title, description, extensions);
        c.setInitialFileName(initialName);
        File f = c.showSaveDialog(owner);
        return Optional.ofNullable(f).map(File::toPath);
    }

    private FileChooser fileChooser(String title, String description, List<String> extensions) {
        FileChooser c = new FileChooser();
        c.setTitle(title);
        c.getExtensionFilters().add(new FileChooser.ExtensionFilter(description, extensions));
        if (lastFolder != null && lastFolder.isDirectory()) {
            c.setInitialDirectory(lastFolder);
        }
        return c;
    }
}

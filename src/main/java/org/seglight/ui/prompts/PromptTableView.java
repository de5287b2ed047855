package org.seglight.ui.prompts;

import java.io.IOException;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.property.IntegerProperty;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ColorPicker;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.cell.CheckBoxTableCell;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import org.seglight.ui.common.Controls;
import org.seglight.ui.common.DialogService;
import org.seglight.ui.common.Messages;

/**
 * The class table: visible, colour, name, template and whether the model scores the class; below it the
 * selected class's name and template, which re-segment as you type (debounced by the view-model).
 */
public final class PromptTableView extends VBox {

    private final TableView<ClassRow> table = new TableView<>();
    private final TextField search = new TextField();

    /** What editing the selected row does, in words the user can act on. */
    static String hint(ClassRow row) {
        if (row == null) {
            return "Edits re-run the text path on the cached image features. '{}' is where the name goes. Classes "
                    + "marked 'by hand' are not scored by the model: paint them, then Model > Learn from corrections.";
        }
        if (row.slot() >= 0) {
            return "'" + row.nameProperty().get() + "' is a class the model has learned (slot #" + row.slot() + "). "
                    + "Rewording it only nudges how the network fuses the words with the image: its own classifier "
                    + "row keeps what it learned, so the mask changes little. To change what it finds, correct a few "
                    + "images and use Model > Learn from corrections.";
        }
        return "'" + row.nameProperty().get() + "' is not a model class yet: paint it on a few images, then Model > "
                + "Learn from corrections makes it one, starting from its words (and the known class nearest to them).";
    }

    /** The table of {@code vm}; its selected row and {@code activeRow}, the paint tools' class, follow each other. */
    private Runnable leave = () -> { };

    /** Where the focus goes when Enter or Escape leaves the name or template field (the viewer). */
    public void setOnLeave(Runnable leave) {
        this.leave = leave;
    }

    /** Puts the focus in the class search, its text selected (Ctrl+F). */
    public void focusSearch() {
        search.requestFocus();
        search.selectAll();
    }

    /** The key that picks table row {@code row}: 1-9, 0, then ⇧1-⇧0; empty beyond the twentieth. */
    public static String hotkey(int row) {
        if (row < 0 || row >= 20) {
            return "";
        }
        String digit = Integer.toString((row % 10 + 1) % 10);
        return row < 10 ? digit : "⇧" + digit;
    }

    /** The table row a digit key picks (Shift for the second ten), or -1. */
    public static int rowOfKey(int digit, boolean shift) {
        if (digit < 0 || digit > 9) {
            return -1;
        }
        return (digit == 0 ? 9 : digit - 1) + (shift ? 10 : 0);
    }

    public PromptTableView(PromptsViewModel vm, IntegerProperty activeRow, DialogService dialogs) {
        setSpacing(6);
        setPadding(new Insets(6));
        table.setId("class-table");
        table.setItems(vm.rows());
        table.setEditable(true);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        VBox.setVgrow(table, Priority.ALWAYS);

        TableColumn<ClassRow, Boolean> visible = new TableColumn<>("Show");
        visible.setCellValueFactory(c -> c.getValue().visibleProperty());
        visible.setCellFactory(CheckBoxTableCell.forTableColumn(visible));
        visible.setEditable(true);
        visible.setPrefWidth(50);
        visible.setMaxWidth(56);

        TableColumn<ClassRow, Boolean> lock = new TableColumn<>("Lock");
        lock.setId("class-lock");
        lock.setCellValueFactory(c -> c.getValue().lockedProperty());
        lock.setCellFactory(CheckBoxTableCell.forTableColumn(lock));
        lock.setEditable(true);
        lock.setPrefWidth(44);
        lock.setMaxWidth(50);

        TableColumn<ClassRow, Integer> color = new TableColumn<>("Colour");
        color.setCellValueFactory(c -> c.getValue().rgbProperty().asObject());
        color.setCellFactory(c -> new ColorCell());
        color.setPrefWidth(64);
        color.setMaxWidth(70);

        TableColumn<ClassRow, String> name = new TableColumn<>("Class");
        name.setCellValueFactory(c -> c.getValue().nameProperty());
        name.setPrefWidth(110);

        TableColumn<ClassRow, String> template = new TableColumn<>("Template"); // "Prompt template" was cut at 1440 px
        template.setCellValueFactory(c -> c.getValue().templateProperty());
        template.setPrefWidth(140);

        // The key that picks the row (1-9 and 0 for the first ten, Shift+1..0 for the next ten), next to the
        // model's slot number, which is a different thing.
        TableColumn<ClassRow, String> key = new TableColumn<>("Key");
        key.setId("class-key");
        key.setCellValueFactory(c -> javafx.beans.binding.Bindings.createStringBinding(
                () -> hotkey(table.getItems().indexOf(c.getValue())), table.getItems()));
        key.setSortable(false);
        key.setPrefWidth(40);
        key.setMaxWidth(48);

        TableColumn<ClassRow, String> slot = new TableColumn<>("Model");
        slot.setCellValueFactory(c -> javafx.beans.binding.Bindings.createStringBinding(() -> c.getValue().slot() >= 0
                ? "#" + c.getValue().slot() : "by hand", c.getValue().slotProperty()));
        slot.setPrefWidth(60);
        slot.setMaxWidth(70);
        table.getColumns().setAll(List.of(key, visible, lock, color, name, template, slot));
        for (TableColumn<ClassRow, ?> c : List.of(key, visible, lock, color, slot)) {
            c.setMinWidth(c.getPrefWidth()); // narrow headers stay whole ("Sh..." at 1440 px); Class and Template give
        }

        table.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            if (b.intValue() >= 0) {
                activeRow.set(b.intValue());
            }
        });
        activeRow.addListener((o, a, b) -> {
            if (table.getSelectionModel().getSelectedIndex() != b.intValue()) {
                table.getSelectionModel().select(b.intValue());
            }
        });

        // Find a class by name (Ctrl+F): typing picks the best match as the class to paint, ↓ / ↑ step through the
        // matches, Enter keeps it and Escape goes back to the class before; both leave the field. Every class,
        // however many, is a few keys away.
        search.setId("class-search");
        search.setPromptText("Find a class to paint (Ctrl+F)");
        Label found = new Label();
        found.setId("class-search-found");
        found.getStyleClass().add("caption-small");
        found.setMinWidth(Region.USE_PREF_SIZE);
        int[] searchState = {0, -1}; // the match on show, the active row when the search began
        Runnable showMatch = () -> {
            List<Integer> hits = vm.find(search.getText());
            if (search.getText().isBlank()) {
                found.setText("");
            } else if (hits.isEmpty()) {
                found.setText("no class matches");
            } else {
                int at = Math.floorMod(searchState[0], hits.size());
                found.setText((at + 1) + " of " + hits.size());
                activeRow.set(hits.get(at));
                table.scrollTo(hits.get(at));
            }
        };
        search.textProperty().addListener((o, a, b) -> {
            searchState[0] = 0;
            showMatch.run();
        });
        search.focusedProperty().addListener((o, a, b) -> {
            if (b) {
                searchState[1] = activeRow.get();
            }
        });
        search.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            switch (e.getCode()) {
                case DOWN, UP -> {
                    searchState[0] += e.getCode() == javafx.scene.input.KeyCode.DOWN ? 1 : -1;
                    showMatch.run();
                }
                case ENTER -> {
                    search.clear();
                    leave.run();
                }
                case ESCAPE -> {
                    search.clear();
                    if (searchState[1] >= 0 && searchState[1] < vm.rows().size()) {
                        activeRow.set(searchState[1]);
                    }
                    leave.run();
                }
                default -> {
                    return;
                }
            }
            e.consume();
        });
        HBox searchBar = new HBox(6, search, found);
        searchBar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        HBox.setHgrow(search, Priority.ALWAYS);

        TextField nameField = new TextField();
        nameField.setId("class-name");
        TextField templateField = new TextField();
        templateField.setId("class-template");
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (a != null) {
                nameField.textProperty().unbindBidirectional(a.nameProperty());
                templateField.textProperty().unbindBidirectional(a.templateProperty());
            }
            if (b != null) {
                nameField.textProperty().bindBidirectional(b.nameProperty());
                templateField.textProperty().bindBidirectional(b.templateProperty());
            }
        });
        // Enter keeps the text and Escape puts back what the field held when it got the focus; both leave the
        // field, so the next keys are shortcuts again instead of more letters of the class name.
        for (TextField f : List.of(nameField, templateField)) {
            String[] before = {""};
            f.focusedProperty().addListener((o, a, b) -> {
                if (b) {
                    before[0] = f.getText();
                }
            });
            f.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
                if (e.getCode() == javafx.scene.input.KeyCode.ESCAPE) {
                    if (!f.getText().equals(before[0])) {
                        f.setText(before[0]);
                    }
                    leave.run();
                    e.consume();
                } else if (e.getCode() == javafx.scene.input.KeyCode.ENTER) {
                    leave.run();
                    e.consume();
                }
            });
        }
        nameField.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        templateField.disableProperty().bind(nameField.disableProperty());
        GridPane edit = new GridPane(6, 4);
        edit.addRow(0, new Label("Name"), nameField);
        edit.addRow(1, new Label("Template"), templateField);
        GridPane.setHgrow(nameField, Priority.ALWAYS);
        GridPane.setHgrow(templateField, Priority.ALWAYS);
        Label hint = new Label(hint(null));
        hint.setId("class-hint");
        javafx.beans.value.ChangeListener<Object> rehint = (o, a, b) -> hint.setText(
                hint(table.getSelectionModel().getSelectedItem()));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (a != null) {
                a.nameProperty().removeListener(rehint);
                a.slotProperty().removeListener(rehint);
            }
            if (b != null) {
                b.nameProperty().addListener(rehint);
                b.slotProperty().addListener(rehint);
            }
            hint.setText(hint(b));
        });
        // Five lines always, so the buttons above do not move as the sentence changes.
        hint.setMinHeight(80);
        hint.setPrefHeight(80);
        hint.setAlignment(javafx.geometry.Pos.TOP_LEFT);
        hint.setWrapText(true);
        hint.getStyleClass().add("hint");

        Button add = Controls.button("mdi2p-plus", "Add a class to paint by hand", () -> {
            int r = vm.add("new class");
            table.getSelectionModel().select(r);
            nameField.requestFocus();
            nameField.selectAll();
        });
        add.setId("add-class");
        Button remove = Controls.button("mdi2m-minus", "Remove the selected class (its pixels become void)", () -> {
            int i = table.getSelectionModel().getSelectedIndex();
            if (i >= 0 && vm.rows().size() > 1) {
                vm.remove(i);
            }
        });
        remove.disableProperty().bind(Bindings.size(vm.rows()).lessThan(2)
                .or(table.getSelectionModel().selectedItemProperty().isNull()));
        Button up = Controls.button("mdi2a-arrow-up", "Move up (labels follow)", () -> move(vm, -1));
        Button down = Controls.button("mdi2a-arrow-down", "Move down (labels follow)", () -> move(vm, 1));
        Button importCsv = new Button("Import…");
        importCsv.setOnAction(e -> dialogs.chooseFiles("Import a prompt set", "Class lists (*.csv)",
                List.of("*.csv")).stream().findFirst().ifPresent(f -> {
                    try {
                        vm.importCsv(f);
                    } catch (IOException | RuntimeException ex) {
                        dialogs.showError("Cannot import the prompt set", Messages.of(ex));
                    }
                }));
        Button exportCsv = new Button("Export…");
        exportCsv.setOnAction(e -> dialogs.chooseSaveFile("Export the prompt set", "classes.csv",
                "Class lists (*.csv)", List.of("*.csv")).ifPresent(f -> {
                    try {
                        vm.exportCsv(f);
                    } catch (IOException | RuntimeException ex) {
                        dialogs.showError("Cannot export the prompt set", Messages.of(ex));
                    }
                }));
        HBox buttons = new HBox(4, add, remove, up, down, importCsv, exportCsv);
        Label problem = new Label();
        problem.getStyleClass().add("problem");
        Runnable check = () -> problem.setText(vm.problem().orElse(""));
        vm.rows().addListener((javafx.collections.ListChangeListener<ClassRow>) c -> {
            check.run();
            if (table.getSelectionModel().isEmpty() && !vm.rows().isEmpty()) {
                table.getSelectionModel().select(Math.min(activeRow.get(), vm.rows().size() - 1));
            }
        });
        getChildren().addAll(searchBar, table, buttons, edit, problem, hint);
    }

    private void move(PromptsViewModel vm, int delta) {
        int i = table.getSelectionModel().getSelectedIndex();
        if (i >= 0) {
            table.getSelectionModel().select(vm.move(i, delta));
        }
    }

    /** A colour picker bound to the row's colour. */
    private static final class ColorCell extends TableCell<ClassRow, Integer> {
        private final ColorPicker picker = new ColorPicker();

        ColorCell() {
            picker.getStyleClass().add("swatch-picker");
            picker.setMaxWidth(Double.MAX_VALUE);
            picker.setOnAction(e -> {
                ClassRow row = getTableRow() == null ? null : getTableRow().getItem();
                if (row != null) {
                    Color c = picker.getValue();
                    row.rgbProperty().set((int) Math.round(c.getRed() * 255) << 16
                            | (int) Math.round(c.getGreen() * 255) << 8 | (int) Math.round(c.getBlue() * 255));
                }
            });
        }

        @Override
        protected void updateItem(Integer rgb, boolean empty) {
            super.updateItem(rgb, empty);
            if (empty || rgb == null) {
                setGraphic(null);
            } else {
                picker.setValue(Controls.color(rgb));
                setGraphic(picker);
            }
        }
    }
}

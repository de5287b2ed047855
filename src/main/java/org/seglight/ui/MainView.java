package org.seglight.ui;

import java.nio.file.Path;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Slider;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.control.StatusBar;
import org.kordamp.ikonli.javafx.FontIcon;
import org.seglight.io.ImageLoader;
import org.seglight.ui.common.Controls;
import org.seglight.ui.common.DialogService;
import org.seglight.ui.common.FxTaskRunner;
import org.seglight.ui.corrections.Tool;
import org.seglight.ui.images.ImageStripView;
import org.seglight.ui.inspector.InspectorView;
import org.seglight.ui.prompts.ClassRow;
import org.seglight.ui.prompts.PromptTableView;
import org.seglight.ui.viewer.LayersView;
import org.seglight.ui.viewer.MapKind;
import org.seglight.ui.viewer.ViewerCanvas;

/**
 * The main window: menus and tools on top, the image strip on the left, the viewer in the middle, classes,
 * layers, the attention inspector and help on the right, and a status bar with the read-out, the running
 * task (with cancel) and the engine and device.
 */
public final class MainView extends BorderPane {

    private final MainViewModel vm;
    private final ViewerCanvas viewer;
    private final DialogService dialogs;
    private final TabPane side = new TabPane();
    private PromptTableView classTable;

    public MainView(MainViewModel vm, FxTaskRunner runner, DialogService dialogs) {
        this.vm = vm;
        this.dialogs = dialogs;
        this.viewer = new ViewerCanvas(vm.session(), vm.corrections(), vm.prompts(), vm.inspector(), vm.overlay(),
                vm.lookRevisionProperty(), vm::readout);
        setId("main-view");

        VBox strip = ImageStripView.panel(vm.images());
        PromptTableView classes = new PromptTableView(vm.prompts(), vm.corrections().activeRowProperty(), dialogs);
        this.classTable = classes;
        classes.setOnLeave(viewer::requestFocus);
        LayersView layers = new LayersView(vm.overlay(), vm.prompts(), vm.session().resultProperty(),
                vm.lookRevisionProperty(), viewer.mapLayerProperty());
        InspectorView inspector = new InspectorView(vm.inspector(), vm.prompts()::names, vm.lookRevisionProperty(),
                () -> vm.overlay().mapKindProperty().set(MapKind.ATTENTION));
        vm.inspector().selectedRowProperty().bindBidirectional(vm.overlay().mapClassProperty());
        // The attention map's range, as the Layers tab shows it for the other maps.
        org.seglight.ui.viewer.ColorBar attentionRange = new org.seglight.ui.viewer.ColorBar();
        inspector.setRangeBar(attentionRange);
        viewer.mapLayerProperty().addListener((o, a, b) -> attentionRange.show(
                vm.overlay().mapKindProperty().get() == MapKind.ATTENTION ? b : null));

        Tab classesTab = new Tab("Classes", classes);
        classesTab.setId("tab-classes");
        Tab layersTab = new Tab("Layers", new ScrollPane(layers));
        layersTab.setId("tab-layers");
        Tab inspectorTab = new Tab("Attention", new ScrollPane(inspector));
        inspectorTab.setId("tab-attention");
        Tab helpTab = new Tab("Help", new ScrollPane(new HelpView()));
        helpTab.setId("tab-help");
        side.getTabs().setAll(List.of(classesTab, layersTab, inspectorTab, helpTab));
        side.getTabs().forEach(t -> t.setClosable(false));
        // Opening the Attention tab shows the highlighted class's map, so what the list marks is what is drawn.
        inspectorTab.setOnSelectionChanged(e -> {
            if (inspectorTab.isSelected() && vm.session().resultProperty().get() != null) {
                vm.overlay().mapKindProperty().set(MapKind.ATTENTION);
            }
        });
        side.setPrefWidth(400);
        side.setMinWidth(300);
        ((ScrollPane) layersTab.getContent()).setFitToWidth(true);
        ((ScrollPane) inspectorTab.getContent()).setFitToWidth(true);
        ((ScrollPane) helpTab.getContent()).setFitToWidth(true);

        SplitPane split = new SplitPane(strip, viewerWithBanner(), side);
        split.setDividerPositions(0.16, 0.68);
        SplitPane.setResizableWithParent(strip, false);
        SplitPane.setResizableWithParent(side, false);
        setCenter(split);
        setTop(new VBox(menus(), tools()));
        setBottom(statusBar(runner));

        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        setOnDragDropped(e -> {
            List<Path> files = e.getDragboard().getFiles().stream().map(java.io.File::toPath).toList();
            e.setDropCompleted(!files.isEmpty());
            if (files.size() == 1) {
                vm.open(files.getFirst());
            } else if (!files.isEmpty()) {
                vm.openFiles(files.stream().filter(ImageLoader::isImageName).toList());
            }
            e.consume();
        });
        addEventFilter(KeyEvent.KEY_PRESSED, this::key);
    }

    /** The viewer under a banner that says, while the image is open, that its file is damaged, and any notes. */
    private BorderPane viewerWithBanner() {
        Label banner = new Label();
        banner.setId("image-banner");
        banner.getStyleClass().add("image-banner");
        banner.setWrapText(true);
        banner.setMaxWidth(Double.MAX_VALUE);
        banner.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        banner.textProperty().bind(vm.imageNotice());
        banner.visibleProperty().bind(vm.imageNotice().isNotEmpty());
        banner.managedProperty().bind(banner.visibleProperty());
        javafx.css.PseudoClass damaged = javafx.css.PseudoClass.getPseudoClass("damaged");
        banner.pseudoClassStateChanged(damaged, vm.imageDamaged().get());
        vm.imageDamaged().addListener((o, a, b) -> banner.pseudoClassStateChanged(damaged, b));
        BorderPane pane = new BorderPane(viewer);
        pane.setTop(banner);
        return pane;
    }

    private MenuBar menus() {
        MenuItem openImage = item("Open images…", "Shortcut+O", this::chooseImages);
        openImage.setId("menu-open");
        MenuItem openFolder = item("Open folder…", "Shortcut+Shift+O", this::chooseFolder);
        Menu recent = new Menu("Recent");
        Runnable fillRecent = () -> recent.getItems().setAll(vm.images().recent().stream().map(p -> {
            MenuItem m = new MenuItem(p.toString());
            m.setOnAction(e -> vm.open(p));
            return m;
        }).toList());
        vm.images().recent().addListener((javafx.collections.ListChangeListener<Path>) c -> fillRecent.run());
        fillRecent.run();
        MenuItem importMask = item("Import mask (indexed PNG or COCO)…", null, () -> dialogs.chooseFiles(
                "Import a mask", "Masks (*.png, *.json)", List.of("*.png", "*.json")).stream().findFirst()
                .ifPresent(vm::importMask));
        MenuItem exportCurrent = item("Export this image…", "Shortcut+E", () -> dialogs.chooseFolder(
                "Export to folder").ifPresent(vm::exportCurrent));
        exportCurrent.disableProperty().bind(vm.canExport().not());
        MenuItem exportAll = item("Export the whole folder…", "Shortcut+Shift+E", () -> dialogs.chooseFolder(
                "Export all images to folder").ifPresent(vm::exportAll));
        exportAll.disableProperty().bind(Bindings.isEmpty(vm.images().items()));
        MenuItem quit = item("Quit", "Shortcut+Q", () -> getScene().getWindow().hide());
        Menu file = new Menu("File", null, openImage, openFolder, recent, new SeparatorMenuItem(), importMask,
                exportCurrent, exportAll, new SeparatorMenuItem(), quit);

        MenuItem undo = item("Undo", "Shortcut+Z", vm::undo);
        undo.textProperty().bind(vm.corrections().undoTextProperty());
        undo.disableProperty().bind(vm.corrections().canUndoProperty().not());
        MenuItem redo = item("Redo", "Shortcut+Shift+Z", vm::redo);
        redo.textProperty().bind(vm.corrections().redoTextProperty());
        redo.disableProperty().bind(vm.corrections().canRedoProperty().not());
        MenuItem redoY = item("Redo (Ctrl+Y)", "Shortcut+Y", vm::redo);
        redoY.disableProperty().bind(vm.corrections().canRedoProperty().not());
        MenuItem apply = item("Apply prediction", "Shortcut+R", vm::applyPrediction);
        MenuItem reviewed = item("Mark as reviewed (again: not reviewed)", "Shortcut+ENTER",
                vm::markReviewed);
        reviewed.disableProperty().bind(vm.session().imageProperty().isNull());
        apply.disableProperty().bind(vm.corrections().predictionPendingProperty().not());
        Menu edit = new Menu("Edit", null, undo, redo, redoY, new SeparatorMenuItem(), apply, reviewed);

        MenuItem find = item("Find a class to paint…", "Shortcut+F", () -> {
            side.getSelectionModel().select(0);
            classTable.focusSearch();
        });
        edit.getItems().add(find);

        MenuItem fit = item("Fit", "Shortcut+0", viewer::fit);
        MenuItem actual = item("1:1", "Shortcut+1", viewer::actualSize);
        MenuItem zoomIn = item("Zoom in", "Shortcut+EQUALS", () -> viewer.zoomBy(1.25));
        MenuItem zoomOut = item("Zoom out", "Shortcut+MINUS", () -> viewer.zoomBy(0.8));
        CheckMenuItem mask = new CheckMenuItem("Show mask");
        mask.selectedProperty().bindBidirectional(vm.overlay().showMaskProperty());
        CheckMenuItem outlines = new CheckMenuItem("Mask as outlines");
        outlines.selectedProperty().bindBidirectional(vm.overlay().outlinesProperty());
        Menu view = new Menu("View", null, fit, actual, zoomIn, zoomOut, mask, outlines);

        MenuItem openModel = item("Open model…", null, () -> dialogs.chooseFiles("Open a model",
                "Seglight models (*.seglight)", List.of("*.seglight")).stream().findFirst().ifPresent(vm::loadModel));
        MenuItem defaultModel = item("Load the default model", null, vm::loadDefaultModel);
        CheckMenuItem sliding = new CheckMenuItem("Large images in sliding windows");
        sliding.selectedProperty().bindBidirectional(vm.slidingWindowsProperty());
        CheckMenuItem flip = new CheckMenuItem("Flip test-time augmentation (steadier masks, twice the time)");
        flip.setId("menu-flip-tta");
        flip.selectedProperty().bindBidirectional(vm.flipTtaProperty());
        MenuItem rerun = item("Segment again", "F5", vm::segment);
        Menu device = choices("Device", org.seglight.inference.DevicePolicy.values(), p -> switch (p) {
            case AUTO -> "Automatic (GPU when the engine can use one)";
            case CPU -> "CPU";
            case GPU -> "GPU (CUDA)";
        }, vm.models().policyProperty().get(), vm::reloadOnDevice);
        Menu engine = choices("Engine", org.seglight.inference.InferenceEngine.values(), e -> switch (e) {
            case ONNX -> "ONNX Runtime (fast)";
            case PYTORCH -> "PyTorch (the training engine)";
        }, vm.models().engineProperty().get(), vm::reloadWithEngine);
        engine.setId("menu-engine");
        MenuItem learn = item("Learn from corrections…", "Shortcut+L", this::showLearn);
        learn.setId("menu-learn");
        MenuItem sort = item("Sort images by confidence (least sure first)", null, vm::sortByConfidence);
        Menu model = new Menu("Model", null, openModel, defaultModel, engine, device, sliding, flip, rerun,
                new SeparatorMenuItem(), learn, sort);

        MenuItem help = item("Keyboard shortcuts", "F1", () -> side.getSelectionModel().select(3));
        Menu helpMenu = new Menu("Help", null, help);
        return new MenuBar(file, edit, view, model, helpMenu);
    }

    /** A menu of radio items, one per value, the current one selected, each choice handed to {@code onChoose}. */
    private static <T> Menu choices(String title, T[] values, java.util.function.Function<T, String> label, T current,
            java.util.function.Consumer<T> onChoose) {
        Menu menu = new Menu(title);
        ToggleGroup group = new ToggleGroup();
        for (T v : values) {
            javafx.scene.control.RadioMenuItem r = new javafx.scene.control.RadioMenuItem(label.apply(v));
            r.setToggleGroup(group);
            r.setSelected(v == current);
            r.setOnAction(e -> onChoose.accept(v));
            menu.getItems().add(r);
        }
        return menu;
    }

    private LearnWindow learnWindow;

    private void showLearn() {
        if (learnWindow == null) {
            learnWindow = new LearnWindow(getScene().getWindow(), vm.learn());
        }
        learnWindow.show();
    }

    private ToolBar tools() {
        Button open = Controls.button("mdi2i-image-outline", "Open images (Ctrl+O)", this::chooseImages);
        Button folder = Controls.button("mdi2f-folder-open", "Open a folder (Ctrl+Shift+O)",
                this::chooseFolder);
        Button prev = Controls.button("mdi2c-chevron-left", "Previous image (Page Up)", vm::previous);
        Button next = Controls.button("mdi2c-chevron-right", "Next image (Page Down)", vm::next);
        ToggleGroup group = new ToggleGroup();
        HBox toolButtons = new HBox(2);
        for (Tool t : Tool.values()) {
            ToggleButton b = new ToggleButton(null, new FontIcon(switch (t) {
                case INSPECT -> "mdi2c-cursor-default-click";
                case BRUSH -> "mdi2b-brush";
                case ERASER -> "mdi2e-eraser";
                case POLYGON -> "mdi2v-vector-polygon";
                case SMART_SELECT -> "mdi2a-auto-fix";
                case FILL -> "mdi2f-format-color-fill";
                case VOID_FILL -> "mdi2c-cancel";
            }));
            b.setId("tool-" + t.name().toLowerCase());
            b.setTooltip(new Tooltip(t.toString()));
            b.setToggleGroup(group);
            b.setUserData(t);
            b.setSelected(vm.corrections().toolProperty().get() == t);
            toolButtons.getChildren().add(b);
        }
        group.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                a.setSelected(true);
            } else {
                vm.corrections().toolProperty().set((Tool) b.getUserData());
            }
        });
        vm.corrections().toolProperty().addListener((o, a, b) -> group.getToggles().stream().filter(t -> t.getUserData() == b)
                .findFirst().ifPresent(t -> t.setSelected(true)));
        Slider brush = new Slider(1, 64, vm.corrections().brushRadiusProperty().get());
        brush.setId("brush-size");
        brush.setPrefWidth(90);
        brush.valueProperty().bindBidirectional(vm.corrections().brushRadiusProperty());
        Label brushLabel = new Label();
        brushLabel.textProperty().bind(vm.corrections().brushRadiusProperty().asString("r %d"));
        // The smart select's tolerance, shown with that tool: a change right after a click selects again in place
        // (once the slider is let go, so a drag does not select at every step).
        Slider tolerance = new Slider(org.seglight.mask.SmartSelect.MIN_TOLERANCE,
                org.seglight.mask.SmartSelect.MAX_TOLERANCE, vm.corrections().toleranceProperty().get());
        tolerance.setId("smart-tolerance");
        tolerance.setPrefWidth(90);
        tolerance.setTooltip(new Tooltip("Smart select tolerance ([ and ]): higher grows the region further"));
        Runnable takeTolerance = () -> vm.corrections().toleranceProperty().set((int) Math.round(tolerance.getValue()));
        tolerance.valueProperty().addListener((o, a, b) -> {
            if (!tolerance.isValueChanging()) {
                takeTolerance.run();
            }
        });
        tolerance.valueChangingProperty().addListener((o, a, b) -> {
            if (!b) {
                takeTolerance.run();
            }
        });
        vm.corrections().toleranceProperty().addListener((o, a, b) -> tolerance.setValue(b.intValue()));
        Label toleranceLabel = new Label();
        toleranceLabel.textProperty().bind(vm.corrections().toleranceProperty().asString("tol %d"));
        toleranceLabel.setMinWidth(Region.USE_PREF_SIZE);
        for (javafx.scene.Node n : List.of(tolerance, toleranceLabel)) {
            n.visibleProperty().bind(vm.corrections().toolProperty().isEqualTo(Tool.SMART_SELECT));
            n.managedProperty().bind(n.visibleProperty());
        }
        ComboBox<ClassRow> paint = new ComboBox<>(vm.prompts().rows());
        paint.setId("paint-class");
        paint.setPrefWidth(140);
        paint.setButtonCell(new ClassCell());
        paint.setCellFactory(l -> new ClassCell());
        vm.corrections().activeRowProperty().addListener((o, a, b) -> paint.getSelectionModel().select(b.intValue()));
        paint.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            if (b.intValue() >= 0) {
                vm.corrections().activeRowProperty().set(b.intValue());
            }
        });
        vm.prompts().rows().addListener((javafx.collections.ListChangeListener<ClassRow>) c ->
                paint.getSelectionModel().select(Math.min(vm.corrections().activeRowProperty().get(), vm.prompts().rows().size() - 1)));
        Button undo = Controls.button("mdi2u-undo", "Undo (Ctrl+Z)", vm::undo);
        undo.setId("undo");
        undo.disableProperty().bind(vm.corrections().canUndoProperty().not());
        Button redo = Controls.button("mdi2r-redo", "Redo (Ctrl+Shift+Z)", vm::redo);
        redo.disableProperty().bind(vm.corrections().canRedoProperty().not());
        Button apply = new Button("Apply prediction");
        apply.setTooltip(new Tooltip("Replace your corrections by the latest prediction (Ctrl+R, undoable)"));
        apply.setOnAction(e -> vm.corrections().applyPrediction());
        apply.visibleProperty().bind(vm.corrections().predictionPendingProperty());
        apply.managedProperty().bind(apply.visibleProperty());
        Button fit = Controls.button("mdi2f-fit-to-screen", "Fit (Ctrl+0)", viewer::fit);
        Button zoomIn = Controls.button("mdi2m-magnify-plus-outline", "Zoom in (+)", () -> viewer.zoomBy(1.25));
        Button zoomOut = Controls.button("mdi2m-magnify-minus-outline", "Zoom out (−)",
                () -> viewer.zoomBy(0.8));
        Button export = Controls.button("mdi2e-export", "Export this image (Ctrl+E)", () ->
                dialogs.chooseFolder("Export to folder").ifPresent(vm::exportCurrent));
        export.disableProperty().bind(vm.canExport().not());
        return new ToolBar(open, folder, prev, next, new Separator(Orientation.VERTICAL), toolButtons, brush,
                brushLabel, tolerance, toleranceLabel, paint, new Separator(Orientation.VERTICAL), undo, redo, apply,
                new Separator(Orientation.VERTICAL), fit, zoomIn, zoomOut, new Separator(Orientation.VERTICAL),
                export);
    }

    private StatusBar statusBar(FxTaskRunner runner) {
        StatusBar bar = new StatusBar();
        bar.setId("status-bar");
        bar.textProperty().bind(Bindings.createStringBinding(() -> runner.busyProperty().get()
                ? runner.messageProperty().get()
                : (vm.segmentingProperty().get() ? "Segmenting… " : "") + vm.statusProperty().get(),
                runner.busyProperty(), runner.messageProperty(), vm.statusProperty(), vm.segmentingProperty()));
        Label readout = new Label();
        readout.setId("readout");
        readout.textProperty().bind(viewer.readoutProperty());
        ProgressBar progress = new ProgressBar();
        progress.progressProperty().bind(runner.fractionProperty());
        progress.visibleProperty().bind(runner.busyProperty());
        progress.managedProperty().bind(progress.visibleProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("cancel-task");
        cancel.setOnAction(e -> runner.cancelShown());
        cancel.visibleProperty().bind(runner.busyProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        Label model = new Label();
        model.setId("model-status");
        model.textProperty().bind(vm.models().statusProperty());
        Label device = new Label();
        device.setId("device");
        device.textProperty().bind(vm.models().deviceProperty());
        // The running task's bar and Cancel keep their size; the long model and device texts give way (full text
        // in their tooltips), so a large image's progress is always on screen.
        progress.setMinWidth(120);
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        for (Label l : List.of(model, device)) {
            l.setMaxWidth(320);
            l.setMinWidth(150);
            Tooltip tip = new Tooltip();
            tip.textProperty().bind(l.textProperty());
            l.setTooltip(tip);
        }
        // The read-out under the mouse is never cut; a long status message gives way, whole in the tooltip.
        readout.setMinWidth(Region.USE_PREF_SIZE);
        readout.setPadding(new Insets(0, 14, 0, 0)); // apart from the status message
        Tooltip statusTip = new Tooltip();
        statusTip.textProperty().bind(bar.textProperty());
        statusTip.setWrapText(true);
        statusTip.setMaxWidth(700);
        bar.setTooltip(statusTip);
        bar.getLeftItems().add(readout);
        bar.getRightItems().addAll(progress, cancel, new Separator(Orientation.VERTICAL), model,
                new Separator(Orientation.VERTICAL), device);
        bar.setPadding(new Insets(2, 6, 2, 6));
        HBox.setHgrow(readout, Priority.ALWAYS);
        return bar;
    }

    private void key(KeyEvent e) {
        Scene scene = getScene();
        boolean typing = scene != null && scene.getFocusOwner() instanceof TextInputControl;
        if (e.isShortcutDown() || e.isAltDown()) {
            return;
        }
        KeyCode c = e.getCode();
        if (c == KeyCode.PAGE_DOWN) {
            vm.next();
        } else if (c == KeyCode.PAGE_UP) {
            vm.previous();
        } else if (c == KeyCode.F1) {
            side.getSelectionModel().select(3);
        } else if (typing) {
            return;
        } else if (c == KeyCode.RIGHT && !(scene.getFocusOwner() instanceof javafx.scene.control.ListView)) {
            vm.next();
        } else if (c == KeyCode.LEFT && !(scene.getFocusOwner() instanceof javafx.scene.control.ListView)) {
            vm.previous();
        } else if (c == KeyCode.ESCAPE) {
            vm.corrections().cancelPolygon();
            vm.corrections().finishPolygonEdit();
        } else if (c == KeyCode.ENTER) {
            if (vm.corrections().polygon().isEmpty()) {
                vm.corrections().finishPolygonEdit();
            } else {
                vm.corrections().closePolygon();
            }
        } else if (c == KeyCode.OPEN_BRACKET || c == KeyCode.CLOSE_BRACKET) {
            int sign = c == KeyCode.OPEN_BRACKET ? -1 : 1;
            if (vm.corrections().toolProperty().get() == Tool.SMART_SELECT) {
                var t = vm.corrections().toleranceProperty();
                t.set(Math.max(org.seglight.mask.SmartSelect.MIN_TOLERANCE,
                        Math.min(org.seglight.mask.SmartSelect.MAX_TOLERANCE, t.get() + 5 * sign)));
            } else {
                var r = vm.corrections().brushRadiusProperty();
                r.set(Math.max(1, Math.min(64, r.get() + 2 * sign)));
            }
        } else if (c == KeyCode.M) {
            vm.overlay().showMaskProperty().set(!vm.overlay().showMaskProperty().get());
        } else if (c == KeyCode.O) {
            vm.overlay().outlinesProperty().set(!vm.overlay().outlinesProperty().get());
        } else if (c == KeyCode.PLUS || c == KeyCode.ADD || c == KeyCode.EQUALS) {
            viewer.zoomBy(1.25);
        } else if (c == KeyCode.MINUS || c == KeyCode.SUBTRACT) {
            viewer.zoomBy(0.8);
        } else if (c.isDigitKey()) {
            // The Key column of the class table shows which: 1-9 and 0 the first ten rows, Shift the next ten.
            int row = PromptTableView.rowOfKey(Integer.parseInt(c.getName().replaceAll("\\D", "")), e.isShiftDown());
            if (row >= 0 && row < vm.prompts().rows().size()) {
                vm.corrections().activeRowProperty().set(row);
            }
        } else {
            for (Tool t : Tool.values()) {
                if (c.getName().equalsIgnoreCase(t.key())) {
                    vm.corrections().toolProperty().set(t);
                }
            }
            return;
        }
        e.consume();
    }

    private void chooseImages() {
        vm.openFiles(dialogs.chooseFiles("Open images", "Images", ImageLoader.EXTENSIONS.stream().sorted()
                .map(x -> "*." + x).toList()));
    }

    private void chooseFolder() {
        dialogs.chooseFolder("Open a folder of images").ifPresent(vm::openFolder);
    }

    private static MenuItem item(String text, String accelerator, Runnable action) {
        MenuItem m = new MenuItem(text);
        if (accelerator != null) {
            m.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        m.setOnAction(e -> action.run());
        return m;
    }

    public ViewerCanvas viewer() {
        return viewer;
    }

    public TabPane side() {
        return side;
    }

    /** A class in the paint combo: its colour and name. */
    private static final class ClassCell extends javafx.scene.control.ListCell<ClassRow> {
        @Override
        protected void updateItem(ClassRow row, boolean empty) {
            super.updateItem(row, empty);
            textProperty().unbind();
            if (empty || row == null) {
                setText(null);
                setGraphic(null);
            } else {
                textProperty().bind(row.nameProperty());
                javafx.scene.shape.Rectangle r = new javafx.scene.shape.Rectangle(12, 12);
                r.setFill(Controls.color(row.rgbProperty().get()));
                setGraphic(r);
            }
        }
    }
}

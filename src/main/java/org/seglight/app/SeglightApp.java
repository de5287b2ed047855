package org.seglight.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.seglight.ui.common.DialogService;
import org.seglight.ui.common.FxDebouncer;
import org.seglight.ui.common.FxDialogService;
import org.seglight.ui.common.FxTaskRunner;
import org.seglight.ui.MainView;
import org.seglight.ui.MainViewModel;
import org.seglight.ui.images.RecentFiles;
import org.seglight.ui.common.Theme;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop application: wires the main view to its view-model and services, loads the default model in
 * the background, opens the image or folder given on the command line, and closes the model on exit.
 */
public final class SeglightApp extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(SeglightApp.class);

    private FxTaskRunner runner;
    private MainViewModel vm;
    private MainView view;

    static void launchApp(String[] args) {
        Application.launch(SeglightApp.class, args);
    }

    /** The window's parts, wired: what {@link #start} builds, and what end-to-end tests drive. */
    public record Wiring(FxTaskRunner runner, MainViewModel vm, MainView view) {}

    /** Builds the main window into {@code stage} with the given dialogs and recent-files list, and shows it. */
    public static Wiring wire(Stage stage, DialogService dialogs, RecentFiles recent, double width, double height) {
        FxTaskRunner runner = new FxTaskRunner();
        MainViewModel vm = new MainViewModel(runner, dialogs, new FxDebouncer(Duration.millis(250)), recent);
        MainView view = new MainView(vm, runner, dialogs);
        stage.setTitle("Seglight");
        vm.session().pathProperty().addListener((o, a, b) -> stage.setTitle(b == null ? "Seglight"
                : b.getFileName() + " — Seglight"));
        stage.setScene(new Scene(view, width, height));
        Theme.apply(stage);
        stage.show();
        return new Wiring(runner, vm, view);
    }

    @Override
    public void start(Stage stage) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> LOG.error("Uncaught error in {}", t.getName(), e));
        FxDialogService dialogs = new FxDialogService(stage);
        Wiring w = wire(stage, dialogs, RecentFiles.inUserFolder(), 1440, 900);
        runner = w.runner();
        vm = w.vm();
        view = w.view();
        vm.loadDefaultModel();
        List<String> args = getParameters().getUnnamed();
        if (!args.isEmpty()) {
            Path p = Path.of(args.getFirst());
            if (Files.exists(p)) {
                vm.open(p);
            } else {
                dialogs.showError("Cannot open", p + " does not exist.");
            }
        }
    }

    @Override
    public void stop() {
        if (view != null) {
            view.viewer().dispose();
        }
        if (vm != null) {
            vm.close();
        }
        if (runner != null) {
            runner.close();
        }
    }
}

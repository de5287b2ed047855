package org.seglight.app;

import javafx.application.Application;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * The desktop application. Until the app issue lands it opens a window that says how to use the command
 * line.
 */
public final class SeglightApp extends Application {

    static void launchApp(String[] args) {
        Application.launch(SeglightApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        Label title = new Label("Seglight");
        title.setStyle("-fx-font-size: 24px; -fx-font-weight: bold;");
        Label body = new Label("""
                The desktop editor is coming soon.
                Meanwhile the command line segments images:
                  java -jar target/seglight.jar segment --model FILE --image IMG --out DIR
                  java -jar target/seglight.jar model-info --preset lite --variant convformer --classes 11 --size 480x360
                """);
        VBox root = new VBox(12, title, body);
        root.setPadding(new Insets(24));
        stage.setTitle("Seglight");
        stage.setScene(new Scene(root, 760, 260));
        stage.show();
    }
}

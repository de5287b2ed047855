package org.seglight.ui.common;

import java.io.InputStream;
import java.net.URL;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;

/**
 * The look that is not code: the application stylesheet and the window icon, read from the jar, where the
 * build copies them from the project's {@code assets/} folder ({@code css/seglight.css},
 * {@code icons/seglight.png}).
 */
public final class Theme {

    /** Where the build puts {@code assets/} on the class path. */
    static final String ROOT = "/org/seglight/assets/";
    static final String STYLESHEET = ROOT + "css/seglight.css";
    static final String ICON = ROOT + "icons/seglight.png";

    private Theme() {}

    /** The stylesheet's URL, as {@link Scene#getStylesheets()} takes it. */
    public static String stylesheet() {
        return resource(STYLESHEET).toExternalForm();
    }

    /** Gives {@code scene} the application stylesheet. */
    public static void style(Scene scene) {
        String css = stylesheet();
        if (!scene.getStylesheets().contains(css)) {
            scene.getStylesheets().add(css);
        }
    }

    /** Gives {@code stage} the stylesheet (on its scene) and the window icon. */
    public static void apply(Stage stage) {
        if (stage.getScene() != null) {
            style(stage.getScene());
        }
        stage.getIcons().setAll(icons());
    }

    /** The window icon. */
    public static List<Image> icons() {
        try (InputStream in = resource(ICON).openStream()) {
            return List.of(new Image(in));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("The window icon " + ICON + " cannot be read from the jar", e);
        }
    }

    private static URL resource(String name) {
        URL url = Theme.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException(name + " is missing from the class path: the build copies it from "
                    + "assets/ (see pom.xml)");
        }
        return url;
    }
}

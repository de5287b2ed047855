package org.seglight;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Only the ui and app layers may touch JavaFX; the CLI, training and export run headless. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.seglight");

    @Test
    void logicIsFreeOfJavaFx() {
        noClasses().that().resideOutsideOfPackages("org.seglight.ui..", "org.seglight.app..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .check(CLASSES);
    }

    @Test
    void noNdArrayEscapesTheEngineLayers() {
        noClasses().that().resideInAnyPackage("org.seglight.ui..", "org.seglight.app..", "org.seglight.annotation..",
                        "org.seglight.io..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl.ndarray..")
                .check(CLASSES);
    }
}

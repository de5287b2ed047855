package org.seglight;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layers stay layers: only the ui and app packages may touch JavaFX (the CLI, training and export run
 * headless), no NDArray leaves the engine, and neither the top-level packages nor the ui's feature packages
 * depend on each other in a circle.
 */
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
                        "org.seglight.io..", "org.seglight.mask..", "org.seglight.render..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl.ndarray..")
                .check(CLASSES);
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching("org.seglight.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void uiFeaturePackagesAreFreeOfCycles() {
        slices().matching("org.seglight.ui.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    /** The window's coordination (org.seglight.ui itself) sits on top of the feature packages, never below. */
    @Test
    void uiFeaturePackagesDoNotDependOnTheWindow() {
        noClasses().that().resideInAPackage("org.seglight.ui.*..")
                .should().dependOnClassesThat().resideInAPackage("org.seglight.ui")
                .check(CLASSES);
    }
}

package org.seglight.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javafx.application.Platform;
import org.seglight.io.ImageLoader;
import org.seglight.task.CancelledException;
import org.seglight.ui.common.DialogService;
import org.seglight.ui.common.Lane;
import org.seglight.ui.common.Messages;
import org.seglight.ui.common.TaskRunner;
import org.seglight.ui.images.ImagesViewModel;
import org.seglight.ui.prompts.PromptsViewModel;

/**
 * Images > Sort by confidence: runs the model over every image of the strip (in the background, with progress
 * and cancel), shows how sure it is on each (the mean of its top class probability) and orders the strip least
 * sure first, so the user corrects where learning gains most. An image whose file is damaged (it decodes only
 * in part) is not scored: a score of the part that could not be read says nothing, and learning leaves such an
 * image out by default, so it sorts last and the status names it, as it names images that could not be read.
 */
final class ConfidenceSort {

    private final TaskRunner runner;
    private final DialogService dialogs;
    private final ModelSession models;
    private final PromptsViewModel prompts;
    private final ImagesViewModel images;
    private final BooleanSupplier whole;
    private final Consumer<String> status;

    ConfidenceSort(TaskRunner runner, DialogService dialogs, ModelSession models, PromptsViewModel prompts,
            ImagesViewModel images, BooleanSupplier whole, Consumer<String> status) {
        this.runner = runner;
        this.dialogs = dialogs;
        this.models = models;
        this.prompts = prompts;
        this.images = images;
        this.whole = whole;
        this.status = status;
    }

    /** How many images were scored, and those that were not with why. */
    private record Scores(int scored, List<String> damaged, List<String> unreadable) {}

    void run() {
        if (images.items().isEmpty()) {
            dialogs.showError("Nothing to sort", "Open a folder first.");
            return;
        }
        Optional<String> problem = prompts.problem();
        if (problem.isPresent()) {
            dialogs.showError("Fix the class table first", problem.get());
            return;
        }
        Optional<ModelSession.Lease> lease = models.acquire();
        if (lease.isEmpty()) {
            dialogs.showError("No model", "Load a model first: its confidence orders the images.");
            return;
        }
        List<Path> all = images.items().stream().map(ImagesViewModel.Item::path).toList();
        var networkPrompts = prompts.networkPrompts();
        boolean wholeImage = whole.getAsBoolean();
        runner.run(Lane.MODEL, "Scoring how sure the model is on each image", true, progress -> {
            int scored = 0;
            List<String> damaged = new java.util.ArrayList<>();
            List<String> unreadable = new java.util.ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (progress.isCancelled()) {
                    throw new CancelledException("Sorting cancelled");
                }
                Path p = all.get(i);
                progress.update("Scoring " + p.getFileName() + " (" + (i + 1) + " of " + all.size() + ")", i,
                        all.size());
                double c;
                try {
                    ImageLoader.Loaded read = ImageLoader.load(p);
                    if (read.damaged()) {
                        damaged.add(p.getFileName().toString());
                        continue; // no score: it sorts last
                    }
                    c = lease.get().service().segment(read.image(), networkPrompts, wholeImage)
                            .probabilities().meanTopValue();
                } catch (CancelledException e) {
                    throw e;
                } catch (Exception e) {
                    unreadable.add(p.getFileName() + " (" + Messages.of(e) + ")");
                    continue; // an unreadable image keeps no score and sorts last
                }
                scored++;
                Platform.runLater(() -> images.item(p).ifPresent(it -> it.confidenceProperty().set(c)));
            }
            return new Scores(scored, damaged, unreadable);
        }, n -> {
            images.sortByConfidence();
            status.accept("Sorted by the model's confidence, least sure first (" + n.scored() + " of " + all.size()
                    + " images scored" + (n.damaged().isEmpty() ? "" : "; damaged, not scored, at the end: "
                            + String.join(", ", n.damaged())) + (n.unreadable().isEmpty() ? ""
                            : "; could not be read, at the end: " + String.join(", ", n.unreadable())) + ")");
        }, e -> dialogs.showError("Cannot sort by confidence", Messages.of(e)), () -> lease.get().close());
    }
}

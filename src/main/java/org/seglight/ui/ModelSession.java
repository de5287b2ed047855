package org.seglight.ui;

import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.seglight.inference.DefaultModel;
import org.seglight.inference.DevicePolicy;
import org.seglight.inference.InferenceEngine;
import org.seglight.inference.SegmentationService;
import org.seglight.inference.Segmenter;
import org.seglight.model.ModelCard;
import org.seglight.ui.common.DialogService;
import org.seglight.ui.common.Lane;
import org.seglight.ui.common.Messages;
import org.seglight.ui.common.TaskRunner;

/**
 * The loaded model: loads one in the background, says what it is, and hands it out as {@link Lease}s. A new
 * model replaces the old one at once for new work, but the old one is closed only when the last lease on it
 * is returned, so an export or a segmentation that started with it finishes with it.
 */
public final class ModelSession implements AutoCloseable {

    /** Opens a model file: the real {@link Segmenter#open}, or a fake in tests. */
    @FunctionalInterface
    public interface Opener {
        SegmentationService open(Path file, DevicePolicy policy, InferenceEngine engine) throws Exception;
    }

    /** A model in use; return it with {@link #close}. */
    public final class Lease implements AutoCloseable {
        private final SegmentationService service;
        private boolean returned;

        private Lease(SegmentationService service) {
            this.service = service;
        }

        public SegmentationService service() {
            return service;
        }

        @Override
        public void close() {
            synchronized (ModelSession.this) {
                if (returned) {
                    return;
                }
                returned = true;
                release(service);
            }
        }
    }

    private final TaskRunner runner;
    private final DialogService dialogs;
    private final Opener opener;
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("No model loaded");
    private final ReadOnlyStringWrapper device = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper ready = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<DevicePolicy> policy = new ReadOnlyObjectWrapper<>(initialPolicy());
    private final ReadOnlyObjectWrapper<InferenceEngine> engine = new ReadOnlyObjectWrapper<>(initialEngine());
    /** Leases out per service; a retired service closes when its count reaches 0. */
    private final Map<SegmentationService, Integer> leases = new IdentityHashMap<>();
    private final Map<SegmentationService, Boolean> retired = new IdentityHashMap<>();
    private SegmentationService current;
    private Path file;
    private Consumer<SegmentationService> onLoaded = s -> {};

    public ModelSession(TaskRunner runner, DialogService dialogs, Opener opener) {
        this.runner = runner;
        this.dialogs = dialogs;
        this.opener = opener;
    }

    /** Called on the UI thread with each model once it is the current one. */
    public void setOnLoaded(Consumer<SegmentationService> c) {
        onLoaded = c;
    }

    /** Loads the shipped default model, or says where it was looked for. */
    public void loadDefault() {
        Optional<Path> p = DefaultModel.locate();
        if (p.isEmpty()) {
            status.set("No default model found");
            dialogs.showError("No model", "The default model was not found. Looked in:\n"
                    + String.join("\n", DefaultModel.candidates().stream().map(Path::toString).toList())
                    + "\nOpen a model file with Model > Open model.");
            return;
        }
        load(p.get());
    }

    /** Loads a model file in the background; the current model stays until the new one is ready. */
    public void load(Path modelFile) {
        status.set("Loading model " + modelFile.getFileName() + "…");
        DevicePolicy pol = policy.get();
        InferenceEngine eng = engine.get();
        runner.run(Lane.MODEL, "Loading model " + modelFile.getFileName(), true, progress -> {
            progress.update("Loading model " + modelFile.getFileName() + " (" + eng.label() + ", device: "
                    + pol.name().toLowerCase() + ")", 0, 0);
            return opener.open(modelFile, pol, eng);
        }, loaded -> {
            SegmentationService old;
            synchronized (this) {
                old = current;
                current = loaded;
                file = modelFile;
                if (old != null) {
                    retire(old);
                }
            }
            ModelCard card = loaded.card();
            Double miou = card.metrics().get("val_miou");
            status.set("Model: " + card.name() + ", " + loaded.config().variant() + ", "
                    + loaded.config().numClasses() + " classes"
                    + (miou == null ? "" : String.format(", val mIoU %.1f%s", 100 * miou,
                            card.valInTraining() ? " (val was trained on)" : "")));
            device.set(loaded.deviceDescription());
            ready.set(true);
            onLoaded.accept(loaded);
        }, e -> {
            status.set(current == null ? "No model loaded" : status.get());
            dialogs.showError("Cannot load the model", Messages.of(e));
        });
    }

    /** Loads the current model again on the device the policy now picks (Model > Device). */
    public void reloadOn(DevicePolicy p) {
        policy.set(p);
        if (file != null) {
            load(file);
        }
    }

    /** Loads the current model again on the engine chosen (Model > Engine). */
    public void reloadWith(InferenceEngine e) {
        engine.set(e);
        if (file != null) {
            load(file);
        }
    }

    /** The current model, leased; empty when none is loaded. */
    public synchronized Optional<Lease> acquire() {
        if (current == null) {
            return Optional.empty();
        }
        leases.merge(current, 1, Integer::sum);
        return Optional.of(new Lease(current));
    }

    /** The current model without a lease, for what it says about itself (classes, card); null when none. */
    public synchronized SegmentationService current() {
        return current;
    }

    /** The model file in use, or null. */
    public synchronized Path file() {
        return file;
    }

    private void release(SegmentationService s) {
        int n = leases.merge(s, -1, Integer::sum);
        if (n <= 0) {
            leases.remove(s);
            if (retired.remove(s) != null) {
                s.close();
            }
        }
    }

    private void retire(SegmentationService s) {
        if (leases.getOrDefault(s, 0) > 0) {
            retired.put(s, Boolean.TRUE); // closed when its last lease comes back
        } else {
            s.close();
        }
    }

    /** Closes every model; work still holding a lease finds it closed and says so. */
    @Override
    public synchronized void close() {
        if (current != null) {
            current.close();
            current = null;
        }
        retired.keySet().forEach(SegmentationService::close);
        retired.clear();
        ready.set(false);
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty deviceProperty() {
        return device.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty readyProperty() {
        return ready.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<DevicePolicy> policyProperty() {
        return policy.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<InferenceEngine> engineProperty() {
        return engine.getReadOnlyProperty();
    }

    /** {@code -Dseglight.engine=onnx|pytorch} or {@code SEGLIGHT_ENGINE}, else ONNX Runtime. */
    private static InferenceEngine initialEngine() {
        return setting("seglight.engine", "SEGLIGHT_ENGINE", InferenceEngine::parse, InferenceEngine.ONNX);
    }

    /** {@code -Dseglight.device=auto|cpu|gpu} or {@code SEGLIGHT_DEVICE}, else auto. */
    private static DevicePolicy initialPolicy() {
        return setting("seglight.device", "SEGLIGHT_DEVICE", DevicePolicy::parse, DevicePolicy.AUTO);
    }

    /** A start-up setting from a system property or else an environment variable; unset or unreadable: the default. */
    private static <T> T setting(String property, String variable, java.util.function.Function<String, T> parse,
            T fallback) {
        String s = System.getProperty(property, System.getenv(variable));
        try {
            return s == null ? fallback : parse.apply(s);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}

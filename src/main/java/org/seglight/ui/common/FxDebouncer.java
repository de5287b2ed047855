package org.seglight.ui.common;

import java.util.HashMap;
import java.util.Map;
import javafx.animation.PauseTransition;
import javafx.util.Duration;

/** A {@link Debouncer} on the FX thread with one {@link PauseTransition} per key. */
public final class FxDebouncer implements Debouncer {

    private final Map<String, PauseTransition> pauses = new HashMap<>();
    private final Duration delay;

    public FxDebouncer(Duration delay) {
        this.delay = delay;
    }

    @Override
    public void call(String key, Runnable action) {
        PauseTransition p = pauses.computeIfAbsent(key, k -> new PauseTransition(delay));
        p.setOnFinished(e -> action.run());
        p.playFromStart();
    }
}

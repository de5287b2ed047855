package org.seglight.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the multiply-accumulates of the convolutions, linear layers and matrix products that a real
 * forward pass executes, grouped by the component that ran them.
 *
 * <p>Counting the ops as they run (rather than from a formula beside the network) means the report can
 * never drift from the code. One MAC is one FLOP in the fvcore/mmcv convention of docs/NETWORK.md §6.
 */
public final class Complexity {

    private static final ThreadLocal<Complexity> ACTIVE = new ThreadLocal<>();

    private final Map<String, Long> macs = new LinkedHashMap<>();
    private final Deque<String> scopes = new ArrayDeque<>();

    /** Starts counting on this thread; returns the counter. */
    public static Complexity start() {
        Complexity c = new Complexity();
        ACTIVE.set(c);
        return c;
    }

    /** Stops counting on this thread. */
    public static void stop() {
        ACTIVE.remove();
    }

    /** Attributes the ops run inside the returned scope to {@code name}; a no-op when not counting. */
    public static Scope scope(String name) {
        Complexity c = ACTIVE.get();
        if (c == null) {
            return () -> {};
        }
        c.scopes.push(name);
        return c.scopes::pop;
    }

    static void add(long count) {
        Complexity c = ACTIVE.get();
        if (c != null) {
            String key = c.scopes.isEmpty() ? "other" : String.join("/", c.scopes.reversed());
            c.macs.merge(key, count, Long::sum);
        }
    }

    /** MACs per component path (e.g. {@code units/1/conv}), in the order first seen. */
    public Map<String, Long> byComponent() {
        return Map.copyOf(macs);
    }

    /** MACs of every path that starts with {@code prefix}. */
    public long total(String prefix) {
        return macs.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    public long total() {
        return total("");
    }

    /** Closes a scope without checked exceptions. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}

package org.seglight.ui.viewer;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The tiles the viewer has made, least recently drawn dropped first once they hold more than a byte budget.
 * Confined to the FX thread.
 */
final class TileCache<K, V> {

    private final LinkedHashMap<K, V> tiles = new LinkedHashMap<>(64, 0.75f, true);
    private final ToLongFunction<V> bytesOf;
    private long budget;
    private long bytes;

    TileCache(long budget, ToLongFunction<V> bytesOf) {
        this.budget = budget;
        this.bytesOf = bytesOf;
    }

    V get(K key) {
        return tiles.get(key);
    }

    void put(K key, V tile) {
        V old = tiles.put(key, tile);
        if (old != null) {
            bytes -= bytesOf.applyAsLong(old);
        }
        bytes += bytesOf.applyAsLong(tile);
        trim();
    }

    /** Raises or lowers the budget (a larger screen needs more tiles at once). */
    void budget(long newBudget) {
        budget = newBudget;
        trim();
    }

    long budget() {
        return budget;
    }

    /** The bytes the tiles now held take. */
    long bytes() {
        return bytes;
    }

    int size() {
        return tiles.size();
    }

    /** The keys now held, for updating tiles in place; do not put or remove while iterating. */
    Iterable<Map.Entry<K, V>> entries() {
        return tiles.entrySet();
    }

    void removeIf(Predicate<K> which) {
        for (Iterator<Map.Entry<K, V>> it = tiles.entrySet().iterator(); it.hasNext();) {
            Map.Entry<K, V> e = it.next();
            if (which.test(e.getKey())) {
                bytes -= bytesOf.applyAsLong(e.getValue());
                it.remove();
            }
        }
    }

    void clear() {
        tiles.clear();
        bytes = 0;
    }

    private void trim() {
        for (Iterator<V> it = tiles.values().iterator(); bytes > budget && it.hasNext();) {
            bytes -= bytesOf.applyAsLong(it.next());
            it.remove();
        }
    }
}

package org.seglight.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers embeddings keyed by encoder and prompt, so editing one class re-encodes only that class's
 * prompt. Bounded (least recently used entries go first).
 */
public final class EmbeddingCache {

    private record Key(String encoder, String prompt) {}

    private final int capacity;
    private final Map<Key, float[]> entries;
    private long hits;
    private long misses;

    public EmbeddingCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** Embeddings for {@code prompts}, running {@code encoder} only on the prompts not cached yet. */
    public synchronized float[][] embed(TextEncoder encoder, List<String> prompts) {
        float[][] out = new float[prompts.size()][];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            float[] hit = entries.get(new Key(encoder.id(), prompts.get(i)));
            if (hit != null) {
                out[i] = hit.clone();
                hits++;
            } else {
                missing.add(i);
                misses++;
            }
        }
        if (!missing.isEmpty()) {
            float[][] fresh = encoder.embed(missing.stream().map(prompts::get).toList());
            for (int j = 0; j < fresh.length; j++) {
                int i = missing.get(j);
                out[i] = fresh[j];
                put(encoder.id(), prompts.get(i), fresh[j]);
            }
        }
        return out;
    }

    /** Adds a known embedding, e.g. the ones stored in a checkpoint. */
    public synchronized void put(String encoderId, String prompt, float[] embedding) {
        entries.put(new Key(encoderId, prompt), embedding.clone());
        while (entries.size() > capacity) {
            entries.remove(entries.keySet().iterator().next());
        }
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }
}

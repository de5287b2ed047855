package org.seglight.text;

import java.util.List;

/**
 * Turns prompts into embeddings of a fixed dimension. The network sees only these vectors, so any encoder
 * (MiniLM, a CLIP text tower) plugs in behind this interface.
 */
public interface TextEncoder extends AutoCloseable {

    /** A stable identifier; embeddings from different encoders are never mixed. */
    String id();

    /** The embedding dimension. */
    int dimension();

    /** One embedding per prompt, in order. */
    float[][] embed(List<String> prompts);

    @Override
    void close();
}

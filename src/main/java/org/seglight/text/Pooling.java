package org.seglight.text;

/** How token features become one sentence embedding. */
public enum Pooling {
    /** Mean over the tokens the attention mask keeps (sentence-transformers). */
    MEAN,
    /** The first token's feature ([CLS], BERT-style). */
    CLS,
    /** The feature at the end-of-text token, taken as the position of the largest token id, as CLIP does. */
    EOT,
    /** The model already returns one vector per prompt. */
    NONE
}

/**
 * Class prompts and the text encoders that embed them: a prompt set names the classes and their templates, and
 * embeddings are cached per prompt set. It depends on nothing else in Seglight, and must not depend on the image
 * side of the network, on {@code ui} or on JavaFX.
 */
package org.seglight.text;

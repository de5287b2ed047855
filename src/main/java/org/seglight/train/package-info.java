/**
 * Training and evaluation: the dataset of image and mask pairs with its augmentation, losses, AdamW with a
 * polynomial schedule, the trainer that checkpoints as it goes, and the confusion matrix. It runs headless and
 * must not depend on {@code annotation}, {@code ui}, {@code cli} or JavaFX.
 */
package org.seglight.train;

/**
 * Training and evaluation: the dataset of image and mask pairs with its augmentation, losses, AdamW with a
 * polynomial schedule, the trainer that checkpoints as it goes, the learner that teaches a model a class table
 * from a few labelled images in minutes (frozen, cached encoder features) and picks the base it starts from,
 * and the confusion matrix. It runs headless and
 * must not depend on {@code annotation}, {@code ui}, {@code cli} or JavaFX.
 */
package org.seglight.train;

/**
 * Generative adversarial networks: {@link dev.dendrite.gan.GanTrainer} trains a generator and a discriminator
 * (any two layers) from a {@link dev.dendrite.gan.GanSpec} with a {@link dev.dendrite.gan.GanLoss} found by
 * ServiceLoader; {@link dev.dendrite.gan.GanCheckpoint} holds both models and both optimizers;
 * {@link dev.dendrite.gan.SampleGrids} and {@link dev.dendrite.gan.ImageGrid} draw samples;
 * {@link dev.dendrite.gan.ClassifierScore} scores them.
 */
package dev.dendrite.gan;

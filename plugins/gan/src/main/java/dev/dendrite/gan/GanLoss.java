package dev.dendrite.gan;

import dev.dendrite.tensor.Tensor;

/**
 * A GAN objective on the discriminator's raw outputs (logits for the cross-entropy losses, scores otherwise):
 * one loss the discriminator minimises, one the generator minimises. Built from primitives, so backward follows.
 */
public interface GanLoss {
    /** The provider id, for messages. */
    String kind();

    /**
     * @param real the discriminator's outputs on a batch of real examples
     * @param fake its outputs on a batch of generated ones (detached from the generator)
     * @param realTarget the label real examples are pushed towards: 1, or less with one-sided label smoothing
     */
    Tensor discriminator(Tensor real, Tensor fake, double realTarget);

    /** @param fake the discriminator's outputs on generated examples, connected to the generator */
    Tensor generator(Tensor fake);

    /**
     * Whether real examples have a target label that one-sided smoothing can lower (Salimans et al. 2016);
     * the hinge loss has a margin instead.
     */
    default boolean hasRealTarget() {
        return true;
    }
}

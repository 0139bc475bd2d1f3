package dev.dendrite.gan;

/**
 * One GAN epoch's figures.
 *
 * @param discriminatorLoss mean over the epoch's discriminator steps
 * @param generatorLoss mean over its generator steps
 * @param discriminatorReal the discriminator's mean raw output on real examples (a logit for the cross-entropy
 *     losses: σ of it is D(x))
 * @param discriminatorFake the same on generated examples
 * @param score the sample-quality score after the epoch, NaN when the run has no scorer
 * @param seconds training time (scoring and listeners excluded)
 */
public record GanEpochStats(int epoch, double discriminatorLoss, double generatorLoss, double discriminatorReal,
        double discriminatorFake, double score, double seconds, double examplesPerSecond) {}

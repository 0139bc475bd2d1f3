package dev.dendrite.train;

/**
 * What one epoch measured. {@code testAccuracy} is NaN where the targets are not class ids.
 * Losses are written with all their digits, so two runs can be compared to the last bit.
 */
public record EpochStats(int epoch, double trainLoss, double testLoss, double testAccuracy, double learningRate,
        double seconds, double samplesPerSecond) {}

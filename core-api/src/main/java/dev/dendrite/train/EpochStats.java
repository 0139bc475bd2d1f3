package dev.dendrite.train;

/**
 * What one epoch measured. Accuracies are NaN where the targets are not class ids, validation figures
 * NaN when the run holds out no validation split. Losses are written with all their digits, so two runs
 * can be compared to the last bit.
 */
public record EpochStats(int epoch, double trainLoss, double testLoss, double testAccuracy, double learningRate,
        double seconds, double samplesPerSecond, double validationLoss, double validationAccuracy) {}

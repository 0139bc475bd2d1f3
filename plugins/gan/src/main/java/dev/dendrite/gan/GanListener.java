package dev.dendrite.gan;

/** Sees a GAN run's batches and epochs: progress bars, metrics, checkpoints, sample grids. */
public interface GanListener {
    default void onStart(GanRun run, GanState state) {}

    /**
     * After each discriminator step and the generator steps that follow it, if any.
     *
     * @param generatorLoss the mean loss of those generator steps, NaN when the round has not ended
     */
    record BatchEvent(int epoch, long examples, double discriminatorLoss, double generatorLoss) {}

    default void onBatch(GanRun run, BatchEvent event) {}

    default void onEpoch(GanRun run, GanEpochStats stats, GanState state) {}
}

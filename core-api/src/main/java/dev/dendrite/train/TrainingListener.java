package dev.dendrite.train;

/**
 * Observes a run: progress display, metrics files, checkpoints, early stopping. Bound in Guice with a
 * multibinder, so a user adds one without touching the trainer.
 */
public interface TrainingListener {
    default void onStart(TrainingRun run, TrainingState state) {}

    /** After every optimizer step. */
    default void onBatch(TrainingRun run, BatchEvent event) {}

    /** After each epoch's evaluation; {@code control} can end the run early. */
    default void onEpoch(TrainingRun run, EpochStats stats, TrainingState state, Control control) {}

    default void onEnd(TrainingRun run, TrainingState state) {}

    /** One training step as a listener sees it. */
    record BatchEvent(int epoch, long batch, long batches, long step, double loss, long samples) {}

    /** Lets a listener stop training after the current epoch. */
    final class Control {
        private String stopReason;

        public void stop(String reason) {
            stopReason = reason;
        }

        public String stopReason() {
            return stopReason;
        }
    }
}

package dev.dendrite.train;

/**
 * How a run fits its model in an epoch when not by gradient steps, e.g. an extreme learning machine's
 * closed-form readout. Chosen in a spec by {@code "trainer": {"type": ...}}; without one, the {@link Trainer}
 * takes optimizer steps over the batches. Evaluation, metrics, checkpoints, reports and ONNX export are the
 * same either way.
 */
public interface TrainerStrategy {
    /**
     * Fits {@code run}'s model on its training data ({@code run.train().dataset()}, in batches of the spec's
     * batch size) for epoch {@code epoch}.
     *
     * @return the training loss to report for the epoch, by the run's loss
     */
    double fitEpoch(TrainingRun run, int epoch);
}

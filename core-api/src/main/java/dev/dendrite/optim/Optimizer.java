package dev.dendrite.optim;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Updates parameters from their gradients; its state is saved in checkpoints and restored exactly. */
public interface Optimizer {
    /** One update of every parameter that has a gradient. */
    void step();

    /** Clears every parameter's gradient. */
    void zeroGrad();

    double learningRate();

    /** Set by an {@link LrSchedule} before each step. */
    void setLearningRate(double lr);

    /** All per-parameter and global state, by name ({@code "fc.weight/exp_avg"}, {@code "step"}). */
    Map<String, INDArray> state();

    /** Restores what {@link #state()} returned, checking names and shapes. */
    void loadState(Map<String, INDArray> state);
}

package dev.dendrite.optim;

/** The learning rate as a function of the step (or epoch: the trainer says which it counts). */
public interface LrSchedule {
    /** The rate for step {@code t} (0-based), given the optimizer's base rate. */
    double learningRate(long t, double baseLr);
}

package dev.dendrite.train;

import dev.dendrite.tensor.DendriteException;

/** The loss became NaN or infinite: training stopped at the named step, nothing was written after it. */
public final class TrainingDivergedException extends DendriteException {
    private final int epoch;
    private final long step;

    public TrainingDivergedException(String message, int epoch, long step, Throwable cause) {
        super(message, cause);
        this.epoch = epoch;
        this.step = step;
    }

    public int epoch() {
        return epoch;
    }

    public long step() {
        return step;
    }
}

package dev.dendrite.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run stands after a completed epoch: enough, with parameters and optimizer state, to continue
 * bit-exactly. {@code rngState} is the run's random stream (shuffling, dropout) at that point.
 */
public record TrainingState(int epoch, long step, long rngState, List<EpochStats> history) {
    public TrainingState {
        history = List.copyOf(history);
    }

    public static TrainingState start(long rngState) {
        return new TrainingState(0, 0, rngState, List.of());
    }

    TrainingState next(EpochStats stats, long newStep, long newRngState) {
        List<EpochStats> h = new ArrayList<>(history);
        h.add(stats);
        return new TrainingState(stats.epoch(), newStep, newRngState, h);
    }
}

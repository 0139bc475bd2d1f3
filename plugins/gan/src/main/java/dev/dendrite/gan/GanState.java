package dev.dendrite.gan;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a GAN run stands after a completed epoch: with both models' parameters and both optimizers' state,
 * enough to continue bit-exactly. {@code rngState} is the run's one random stream (shuffling and noise).
 */
public record GanState(int epoch, long discriminatorSteps, long generatorSteps, long rngState,
        List<GanEpochStats> history) {
    public GanState {
        history = List.copyOf(history);
    }

    public static GanState start(long rngState) {
        return new GanState(0, 0, 0, rngState, List.of());
    }

    GanState next(GanEpochStats stats, long dSteps, long gSteps, long newRngState) {
        List<GanEpochStats> h = new ArrayList<>(history);
        h.add(stats);
        return new GanState(stats.epoch(), dSteps, gSteps, newRngState, h);
    }
}

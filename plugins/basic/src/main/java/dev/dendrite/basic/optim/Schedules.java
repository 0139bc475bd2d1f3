package dev.dendrite.basic.optim;

import dev.dendrite.tensor.DendriteException;

/** What every schedule checks of its step argument: the steps count from 0. */
final class Schedules {
    private Schedules() {}

    static long checkStep(String owner, long t) {
        if (t < 0) {
            throw new DendriteException(owner + " schedule: step t must be >= 0 (0-based), got " + t);
        }
        return t;
    }
}

package dev.dendrite.basic.optim;

import dev.dendrite.optim.LrSchedule;

/**
 * Cyclical learning rates (Smith 2017, "Cyclical Learning Rates for Training Neural Networks",
 * arXiv:1506.01186, section 3.1): the rate climbs linearly from {@code baseLr} to {@code maxLr} over
 * {@code stepSize} steps and back down over the next {@code stepSize}, with the paper's formula
 *
 * <pre>
 *   cycle = floor(1 + t / (2 stepSize))
 *   x     = |t / stepSize - 2 cycle + 1|
 *   lr(t) = baseLr + (maxLr - baseLr) * max(0, 1 - x) * scale(t)
 * </pre>
 *
 * where {@code scale} is 1 ({@code triangular}), {@code 1 / 2^(cycle - 1)} ({@code triangular2}: the
 * amplitude halves every cycle) or {@code gamma^t} ({@code exp_range}), as in PyTorch's {@code CyclicLR}
 * with its default iteration scale mode.
 *
 * <p>The band is this schedule's own: the optimizer's base rate passed to {@link #learningRate} is ignored.
 */
public final class CyclicalLr implements LrSchedule {
    /** The amplitude policies of the paper, by their JSON names. */
    enum Mode {
        TRIANGULAR("triangular"),
        TRIANGULAR2("triangular2"),
        EXP_RANGE("exp_range");

        final String json;

        Mode(String json) {
            this.json = json;
        }

        /** The mode with this JSON name, or null. */
        static Mode of(String name) {
            for (Mode m : values()) {
                if (m.json.equals(name)) {
                    return m;
                }
            }
            return null;
        }
    }

    private final double baseLr;
    private final double maxLr;
    private final long stepSize;
    private final Mode mode;
    private final double gamma;

    CyclicalLr(CyclicalLrProvider.Config config, Mode mode) {
        this.baseLr = config.baseLr();
        this.maxLr = config.maxLr();
        this.stepSize = config.stepSize();
        this.mode = mode;
        this.gamma = config.gamma();
    }

    @Override
    public double learningRate(long t, double ignoredBaseLr) {
        Schedules.checkStep("cyclical", t);
        long cycle = 1 + Math.floorDiv(t, 2 * stepSize);
        double x = Math.abs((double) t / stepSize - 2 * cycle + 1);
        double scale = switch (mode) {
            case TRIANGULAR -> 1;
            case TRIANGULAR2 -> 1 / Math.pow(2, cycle - 1);
            case EXP_RANGE -> Math.pow(gamma, t);
        };
        return baseLr + (maxLr - baseLr) * Math.max(0, 1 - x) * scale;
    }
}

package dev.dendrite.basic.optim;

import dev.dendrite.optim.LrSchedule;

/**
 * Linear warm-up (Goyal et al. 2017, "Accurate, Large Minibatch SGD", arXiv:1706.02677, section 2.2),
 * the same curve as PyTorch's {@code LinearLR} with {@code end_factor=1}
 * (https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.LinearLR.html):
 *
 * <pre>
 *   lr(t) = baseLr * (startFactor + (1 - startFactor) * t / warmupSteps)   for t &lt; warmupSteps
 *   lr(t) = baseLr                                                          afterwards
 * </pre>
 *
 * Early large steps on a randomly initialised network diverge; ramping the rate avoids that.
 */
public final class WarmupLr implements LrSchedule {
    private final long warmupSteps;
    private final double startFactor;

    public WarmupLr(WarmupLrProvider.Config config) {
        this.warmupSteps = config.warmupSteps();
        this.startFactor = config.startFactor();
    }

    @Override
    public double learningRate(long t, double baseLr) {
        if (Schedules.checkStep("warmup", t) >= warmupSteps) {
            return baseLr;
        }
        return baseLr * (startFactor + (1 - startFactor) * t / warmupSteps);
    }
}

package dev.dendrite.basic.optim;

import dev.dendrite.optim.LrSchedule;

/**
 * PyTorch's {@code StepLR} closed form
 * (https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.StepLR.html):
 * {@code lr(t) = baseLr * gamma^floor(t / stepSize)}, a drop by {@code gamma} every {@code stepSize} steps.
 */
public final class StepLr implements LrSchedule {
    private final long stepSize;
    private final double gamma;

    public StepLr(StepLrProvider.Config config) {
        this.stepSize = config.stepSize();
        this.gamma = config.gamma();
    }

    @Override
    public double learningRate(long t, double baseLr) {
        return baseLr * Math.pow(gamma, Math.floorDiv(Schedules.checkStep("step", t), stepSize));
    }
}

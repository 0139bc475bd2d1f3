package dev.dendrite.basic.optim;

import dev.dendrite.optim.LrSchedule;

/**
 * PyTorch's {@code ExponentialLR} closed form
 * (https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.ExponentialLR.html):
 * {@code lr(t) = baseLr * gamma^t}.
 */
public final class ExponentialLr implements LrSchedule {
    private final double gamma;

    public ExponentialLr(ExponentialLrProvider.Config config) {
        this.gamma = config.gamma();
    }

    @Override
    public double learningRate(long t, double baseLr) {
        return baseLr * Math.pow(gamma, Schedules.checkStep("exponential", t));
    }
}

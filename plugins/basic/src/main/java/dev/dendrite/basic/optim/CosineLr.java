package dev.dendrite.basic.optim;

import dev.dendrite.optim.LrSchedule;

/**
 * Cosine annealing (Loshchilov &amp; Hutter 2017, SGDR, arXiv:1608.03983, without restarts) in the closed
 * form of PyTorch's {@code CosineAnnealingLR}
 * (https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.CosineAnnealingLR.html):
 *
 * <pre>
 *   lr(t) = etaMin + (baseLr - etaMin) * (1 + cos(pi * t / tMax)) / 2
 * </pre>
 *
 * As in PyTorch's closed form, past {@code tMax} the cosine keeps going (back up towards baseLr at
 * {@code 2 tMax}); pick {@code tMax} = the training length to anneal once.
 */
public final class CosineLr implements LrSchedule {
    private final long tMax;
    private final double etaMin;

    public CosineLr(CosineLrProvider.Config config) {
        this.tMax = config.tMax();
        this.etaMin = config.etaMin();
    }

    @Override
    public double learningRate(long t, double baseLr) {
        double phase = Math.PI * Schedules.checkStep("cosine", t) / tMax;
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(phase)) / 2;
    }
}

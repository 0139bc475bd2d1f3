package dev.dendrite.basic.optim;

import dev.dendrite.optim.LrSchedule;
import dev.dendrite.optim.LrScheduleProvider;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.DendriteException;

/**
 * Linear warm-up then one cosine decay, the schedule Vision Transformers are trained with (Dosovitskiy et al. 2021,
 * appendix B.1; Hugging Face's {@code get_cosine_schedule_with_warmup}, timm's {@code CosineLRScheduler} with
 * {@code warmup_t}), for t counted in the trainer's unit (epochs or steps, the spec's {@code scheduleUnit}):
 * <pre>
 *   lr(t) = baseLr · (s + (1 − s) · t / w)                                   t &lt; w
 *   lr(t) = ηmin + (baseLr − ηmin) · (1 + cos(π · min(1, (t − w) / (T − w)))) / 2   t ≥ w
 * </pre>
 * with w = {@code warmup}, T = {@code total}, s = {@code startFactor}. Unlike {@code cosine} (PyTorch's
 * CosineAnnealingLR, which swings back up after T), the rate stays at ηmin past T.
 */
public final class WarmupCosineLr implements LrSchedule {
    private final Config c;

    /** Defaults: 5 warm-up units of 100, starting at a tenth of the base rate, decaying to 0. */
    public record Config(long warmup, long total, double startFactor, double etaMin) {}

    public WarmupCosineLr(Config config) {
        this.c = config;
    }

    @Override
    public double learningRate(long t, double baseLr) {
        if (t < 0) {
            throw new DendriteException(Provider.ID + " schedule: step t must be >= 0 (0-based), got " + t);
        }
        if (t < c.warmup()) {
            return baseLr * (c.startFactor() + (1 - c.startFactor()) * t / c.warmup());
        }
        double progress = Math.min(1.0, (double) (t - c.warmup()) / (c.total() - c.warmup()));
        return c.etaMin() + (baseLr - c.etaMin()) * (1 + Math.cos(Math.PI * progress)) / 2;
    }

    /** {@code "warmup_cosine"}. */
    public static final class Provider extends BaseProvider<Config> implements LrScheduleProvider<Config> {
        static final String ID = "warmup_cosine";

        public Provider() {
            super(ID, Config.class, new Config(5, 100, 0.1, 0));
        }

        @Override
        public LrSchedule create(Config c) {
            if (c.warmup() < 0 || c.total() <= c.warmup()) {
                throw new DendriteException(ID + ": need 0 <= warmup < total, got warmup=" + c.warmup() + ", total="
                        + c.total());
            }
            if (!(c.startFactor() >= 0 && c.startFactor() <= 1)) {
                throw new DendriteException(ID + ": startFactor must be in [0, 1], got " + c.startFactor());
            }
            if (!(c.etaMin() >= 0) || Double.isInfinite(c.etaMin())) {
                throw new DendriteException(ID + ": etaMin must be >= 0 and finite, got " + c.etaMin());
            }
            return new WarmupCosineLr(c);
        }
    }
}

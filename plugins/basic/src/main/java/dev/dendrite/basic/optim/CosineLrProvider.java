package dev.dendrite.basic.optim;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.optim.LrSchedule;
import dev.dendrite.optim.LrScheduleProvider;

/** {@code "cosine"}: {@link CosineLr}. */
public final class CosineLrProvider extends BaseProvider<CosineLrProvider.Config>
        implements LrScheduleProvider<CosineLrProvider.Config> {
    static final String ID = "cosine";

    /**
     * PyTorch's {@code T_max} and {@code eta_min}. PyTorch has no default {@code T_max}; 100 is a
     * placeholder a spec should override. {@code etaMin} defaults to PyTorch's 0.
     */
    public record Config(long tMax, double etaMin) {}

    public CosineLrProvider() {
        super(ID, Config.class, new Config(100, 0));
    }

    @Override
    public LrSchedule create(Config c) {
        Check.atLeast(ID, "tMax", c.tMax(), 1);
        Check.nonNegative(ID, "etaMin", c.etaMin());
        return new CosineLr(c);
    }
}

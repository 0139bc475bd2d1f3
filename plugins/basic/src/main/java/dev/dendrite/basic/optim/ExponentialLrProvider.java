package dev.dendrite.basic.optim;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.optim.LrSchedule;
import dev.dendrite.optim.LrScheduleProvider;

/** {@code "exponential"}: {@link ExponentialLr}. */
public final class ExponentialLrProvider extends BaseProvider<ExponentialLrProvider.Config>
        implements LrScheduleProvider<ExponentialLrProvider.Config> {
    static final String ID = "exponential";

    /** PyTorch's {@code gamma}; PyTorch has no default, 0.95 halves the rate in about 14 steps. */
    public record Config(double gamma) {}

    public ExponentialLrProvider() {
        super(ID, Config.class, new Config(0.95));
    }

    @Override
    public LrSchedule create(Config c) {
        Check.nonNegative(ID, "gamma", c.gamma());
        return new ExponentialLr(c);
    }
}

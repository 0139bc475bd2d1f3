package dev.dendrite.basic.optim;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.optim.LrSchedule;
import dev.dendrite.optim.LrScheduleProvider;

/** {@code "warmup"}: {@link WarmupLr}. */
public final class WarmupLrProvider extends BaseProvider<WarmupLrProvider.Config>
        implements LrScheduleProvider<WarmupLrProvider.Config> {
    static final String ID = "warmup";

    /**
     * Defaults follow PyTorch's {@code LinearLR}: {@code total_iters=5}, {@code start_factor=1/3}.
     * {@code warmupSteps=0} means no warm-up.
     */
    public record Config(long warmupSteps, double startFactor) {}

    public WarmupLrProvider() {
        super(ID, Config.class, new Config(5, 1.0 / 3));
    }

    @Override
    public LrSchedule create(Config c) {
        Check.atLeast(ID, "warmupSteps", c.warmupSteps(), 0);
        Check.closedUnitInterval(ID, "startFactor", c.startFactor());
        return new WarmupLr(c);
    }
}

package dev.dendrite.basic.optim;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.optim.LrSchedule;
import dev.dendrite.optim.LrScheduleProvider;

/** {@code "step"}: {@link StepLr}. */
public final class StepLrProvider extends BaseProvider<StepLrProvider.Config>
        implements LrScheduleProvider<StepLrProvider.Config> {
    static final String ID = "step";

    /**
     * PyTorch's {@code step_size} and {@code gamma}. PyTorch has no default step size; 30 is the classic
     * ImageNet-epoch choice. {@code gamma} defaults to PyTorch's 0.1.
     */
    public record Config(long stepSize, double gamma) {}

    public StepLrProvider() {
        super(ID, Config.class, new Config(30, 0.1));
    }

    @Override
    public LrSchedule create(Config c) {
        Check.atLeast(ID, "stepSize", c.stepSize(), 1);
        Check.nonNegative(ID, "gamma", c.gamma());
        return new StepLr(c);
    }
}

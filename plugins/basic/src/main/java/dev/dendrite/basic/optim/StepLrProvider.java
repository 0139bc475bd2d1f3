package dev.dendrite.basic.optim;

import dev.dendrite.optim.LrSchedule;
import dev.dendrite.optim.LrScheduleProvider;

/** {@code "step"}: {@link StepLr}. */
public final class StepLrProvider implements LrScheduleProvider<StepLrProvider.Config> {
    static final String ID = "step";

    /**
     * PyTorch's {@code step_size} and {@code gamma}. PyTorch has no default step size; 30 is the classic
     * ImageNet-epoch choice. {@code gamma} defaults to PyTorch's 0.1.
     */
    public record Config(long stepSize, double gamma) {}

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Config defaultConfig() {
        return new Config(30, 0.1);
    }

    @Override
    public LrSchedule create(Config c) {
        Check.atLeast(ID, "stepSize", c.stepSize(), 1);
        Check.nonNegative(ID, "gamma", c.gamma());
        return new StepLr(c);
    }
}

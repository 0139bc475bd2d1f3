package dev.dendrite.basic.optim;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.optim.LrSchedule;
import dev.dendrite.optim.LrScheduleProvider;
import java.util.Arrays;
import java.util.stream.Collectors;

/** {@code "cyclical"}: {@link CyclicalLr}. */
public final class CyclicalLrProvider extends BaseProvider<CyclicalLrProvider.Config>
        implements LrScheduleProvider<CyclicalLrProvider.Config> {
    static final String ID = "cyclical";

    /**
     * The CLR bounds, half-cycle length and policy. Defaults are the paper's / the reference Keras CLR
     * implementation's ({@code base_lr=0.001, max_lr=0.006, step_size=2000, mode='triangular'}) and
     * PyTorch's {@code gamma=1.0}, used only by {@code exp_range}.
     */
    public record Config(double baseLr, double maxLr, long stepSize, String mode, double gamma) {}

    public CyclicalLrProvider() {
        super(ID, Config.class, new Config(1e-3, 6e-3, 2000, CyclicalLr.Mode.TRIANGULAR.json, 1.0));
    }

    @Override
    public LrSchedule create(Config c) {
        Check.nonNegative(ID, "baseLr", c.baseLr());
        Check.nonNegative(ID, "maxLr", c.maxLr());
        if (!(c.maxLr() >= c.baseLr())) {
            throw Check.error(ID, "maxLr", ">= baseLr (" + c.baseLr() + ")", c.maxLr());
        }
        Check.atLeast(ID, "stepSize", c.stepSize(), 1);
        CyclicalLr.Mode mode = CyclicalLr.Mode.of(c.mode());
        if (mode == null) {
            String known = Arrays.stream(CyclicalLr.Mode.values()).map(m -> m.json).collect(Collectors.joining(", "));
            throw Check.error(ID, "mode", "one of " + known, c.mode() == null ? "null" : "'" + c.mode() + "'");
        }
        if (!(c.gamma() > 0 && c.gamma() <= 1)) {
            throw Check.error(ID, "gamma", "in (0, 1]", c.gamma());
        }
        return new CyclicalLr(c, mode);
    }
}

package dev.dendrite.basic.optim;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.optim.OptimizerProvider;
import dev.dendrite.tensor.Tensor;
import java.util.Map;

/** {@code "rmsprop"}: {@link RmsProp}, with PyTorch's defaults and argument checks. */
public final class RmsPropProvider extends BaseProvider<RmsPropProvider.Config>
        implements OptimizerProvider<RmsPropProvider.Config> {
    static final String ID = "rmsprop";

    /**
     * The {@code torch.optim.RMSprop} arguments; defaults {@code lr=1e-2, alpha=0.99, eps=1e-8,
     * weight_decay=0, momentum=0, centered=False}.
     */
    public record Config(double lr, double alpha, double eps, double weightDecay, double momentum,
            boolean centered) {}

    public RmsPropProvider() {
        super(ID, Config.class, new Config(1e-2, 0.99, 1e-8, 0, 0, false));
    }

    @Override
    public Optimizer create(Config c, Map<String, Tensor> parameters) {
        Check.nonNegative(ID, "lr", c.lr());
        // PyTorch only asks alpha >= 0; above 1 the "average" gets a negative weight and can go negative.
        Check.closedUnitInterval(ID, "alpha", c.alpha());
        Check.positive(ID, "eps", c.eps());
        Check.nonNegative(ID, "weightDecay", c.weightDecay());
        Check.nonNegative(ID, "momentum", c.momentum());
        return new RmsProp(parameters, c);
    }
}

package dev.dendrite.basic.optim;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.optim.OptimizerProvider;
import dev.dendrite.tensor.Tensor;
import java.util.Map;

/** {@code "sgd"}: {@link Sgd}, with PyTorch's defaults and argument checks. */
public final class SgdProvider extends BaseProvider<SgdProvider.Config>
        implements OptimizerProvider<SgdProvider.Config> {
    static final String ID = "sgd";

    /**
     * The {@code torch.optim.SGD} arguments; defaults are PyTorch 2.x's ({@code lr=1e-3}, everything else
     * off).
     */
    public record Config(double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {}

    public SgdProvider() {
        super(ID, Config.class, new Config(1e-3, 0, 0, false, 0));
    }

    @Override
    public Optimizer create(Config c, Map<String, Tensor> parameters) {
        Check.nonNegative(ID, "lr", c.lr());
        Check.nonNegative(ID, "momentum", c.momentum());
        Check.finite(ID, "dampening", c.dampening());
        Check.nonNegative(ID, "weightDecay", c.weightDecay());
        // PyTorch's rule: Nesterov momentum is defined only for an undamped, non-zero momentum.
        if (c.nesterov() && (c.momentum() <= 0 || c.dampening() != 0)) {
            throw Check.error(ID, "nesterov", "false unless momentum > 0 and dampening == 0",
                    "nesterov=true with momentum=" + c.momentum() + ", dampening=" + c.dampening());
        }
        return new Sgd(parameters, c);
    }
}

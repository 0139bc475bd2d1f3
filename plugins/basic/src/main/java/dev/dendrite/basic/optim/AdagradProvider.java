package dev.dendrite.basic.optim;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.optim.OptimizerProvider;
import dev.dendrite.tensor.Tensor;
import java.util.Map;

/** {@code "adagrad"}: {@link Adagrad}, with PyTorch's defaults and argument checks. */
public final class AdagradProvider extends BaseProvider<AdagradProvider.Config>
        implements OptimizerProvider<AdagradProvider.Config> {
    static final String ID = "adagrad";

    /**
     * The {@code torch.optim.Adagrad} arguments; defaults {@code lr=1e-2, lr_decay=0, weight_decay=0,
     * initial_accumulator_value=0, eps=1e-10}.
     */
    public record Config(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue,
            double eps) {}

    public AdagradProvider() {
        super(ID, Config.class, new Config(1e-2, 0, 0, 0, 1e-10));
    }

    @Override
    public Optimizer create(Config c, Map<String, Tensor> parameters) {
        Check.nonNegative(ID, "lr", c.lr());
        Check.nonNegative(ID, "lrDecay", c.lrDecay());
        Check.nonNegative(ID, "weightDecay", c.weightDecay());
        Check.nonNegative(ID, "initialAccumulatorValue", c.initialAccumulatorValue());
        Check.positive(ID, "eps", c.eps());
        return new Adagrad(parameters, c);
    }
}

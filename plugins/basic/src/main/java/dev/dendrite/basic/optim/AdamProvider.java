package dev.dendrite.basic.optim;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.optim.OptimizerProvider;
import dev.dendrite.tensor.Tensor;
import java.util.Map;

/** {@code "adam"}: {@link Adam}, with PyTorch's defaults and argument checks. */
public final class AdamProvider extends BaseProvider<AdamProvider.Config>
        implements OptimizerProvider<AdamProvider.Config> {
    static final String ID = "adam";

    /**
     * The {@code torch.optim.Adam} arguments ({@code betas} split into {@code beta1}, {@code beta2});
     * defaults {@code lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False}.
     */
    public record Config(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {}

    public AdamProvider() {
        super(ID, Config.class, new Config(1e-3, 0.9, 0.999, 1e-8, 0, false));
    }

    @Override
    public Optimizer create(Config c, Map<String, Tensor> parameters) {
        AdamRule.validate(ID, c.lr(), c.beta1(), c.beta2(), c.eps(), c.weightDecay());
        return new Adam(parameters, c.lr(), c.beta1(), c.beta2(), c.eps(), c.weightDecay(), c.amsgrad(), false);
    }
}

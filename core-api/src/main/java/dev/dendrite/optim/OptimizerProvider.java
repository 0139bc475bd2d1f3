package dev.dendrite.optim;

import dev.dendrite.spi.Provider;
import dev.dendrite.tensor.Tensor;
import java.util.Map;

/** The optimizer SPI, listed in {@code META-INF/services/dev.dendrite.optim.OptimizerProvider}. */
public interface OptimizerProvider<C extends Record> extends Provider<C> {
    /** An optimizer over the model's parameters, by hierarchical name. */
    Optimizer create(C config, Map<String, Tensor> parameters);
}

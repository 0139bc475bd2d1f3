package dev.dendrite.loss;

import dev.dendrite.spi.Provider;

/** The loss SPI, listed in {@code META-INF/services/dev.dendrite.loss.LossProvider}. */
public interface LossProvider<C extends Record> extends Provider<C> {
    Loss create(C config);
}

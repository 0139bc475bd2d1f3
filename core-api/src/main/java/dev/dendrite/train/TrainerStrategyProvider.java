package dev.dendrite.train;

import dev.dendrite.spi.Provider;

/** The trainer-strategy SPI, listed in {@code META-INF/services/dev.dendrite.train.TrainerStrategyProvider}. */
public interface TrainerStrategyProvider<C extends Record> extends Provider<C> {
    TrainerStrategy create(C config);
}

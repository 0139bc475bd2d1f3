package dev.dendrite.optim;

import dev.dendrite.spi.Provider;

/** The schedule SPI, listed in {@code META-INF/services/dev.dendrite.optim.LrScheduleProvider}. */
public interface LrScheduleProvider<C extends Record> extends Provider<C> {
    LrSchedule create(C config);
}

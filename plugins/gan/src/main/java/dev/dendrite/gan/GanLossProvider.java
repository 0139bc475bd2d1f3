package dev.dendrite.gan;

import dev.dendrite.spi.Provider;

/**
 * The GAN-loss SPI, listed in {@code META-INF/services/dev.dendrite.gan.GanLossProvider}: a plugin jar adds a
 * loss (a Wasserstein critic, say) the way it adds a layer.
 */
public interface GanLossProvider<C extends Record> extends Provider<C> {
    GanLoss create(C config);
}

package dev.dendrite.nn;

import dev.dendrite.spi.Provider;

/**
 * The layer SPI. A plugin implements this, lists the class in
 * {@code META-INF/services/dev.dendrite.nn.LayerProvider}, and the layer is then usable by id in specs,
 * checkpoints and the command line.
 */
public interface LayerProvider<C extends Record> extends Provider<C> {
    /** A new layer with fresh parameters drawn from {@code context}'s random stream. */
    Layer create(C config, LayerContext context);
}

package dev.dendrite.nn;

import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import dev.dendrite.spi.Registry;
import dev.dendrite.tensor.DendriteException;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What a provider needs to build a layer: the parameter dtype, the random stream for initialisation and
 * dropout, and the registry to build child layers from specs. Handed in by the composition root.
 */
public final class LayerContext {
    private final DataType dtype;
    private final Rng rng;
    private final Registry<LayerProvider<?>> layers;

    public LayerContext(DataType dtype, Rng rng, Registry<LayerProvider<?>> layers) {
        if (!dtype.isFPType()) {
            throw new DendriteException("parameter dtype must be floating point, got " + dtype);
        }
        this.dtype = dtype;
        this.rng = rng;
        this.layers = layers;
    }

    public DataType dtype() {
        return dtype;
    }

    public Rng rng() {
        return rng;
    }

    public Registry<LayerProvider<?>> layers() {
        return layers;
    }

    /** Builds a layer from its spec, with the provider's defaults for fields the spec leaves out. */
    public Layer build(LayerSpec spec) {
        if (spec.type() == null) {
            throw new DendriteException("layer spec without a \"type\": " + Json.write(spec));
        }
        return create(layers.get(spec.type()), spec);
    }

    private <C extends Record> Layer create(LayerProvider<C> provider, LayerSpec spec) {
        C config = Json.config(provider, spec.config());
        return provider.create(config, this);
    }
}

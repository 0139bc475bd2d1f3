package dev.dendrite.nn;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.Tensor;
import java.util.List;

/** Children applied in order; a child is named by its spec's name or by its position ("0", "1", ...). */
public final class Sequential extends Module {
    public static final String ID = "sequential";

    public Sequential(List<Layer> layers, List<String> names) {
        super(ID);
        for (int i = 0; i < layers.size(); i++) {
            String name = names == null || names.get(i) == null ? Integer.toString(i) : names.get(i);
            child(name, layers.get(i));
        }
    }

    public Sequential(Layer... layers) {
        this(List.of(layers), null);
    }

    /** The layers in order (an unmodifiable copy). */
    public List<Layer> layers() {
        return List.copyOf(children().values());
    }

    @Override
    protected Tensor call(Tensor[] inputs) {
        Tensor[] x = inputs;
        for (Layer l : children().values()) {
            x = new Tensor[] {l.forward(x)};
        }
        return x[0];
    }

    /** The spec form: {@code {"type": "sequential", "config": {"layers": [ ...specs... ]}}}. */
    public record Config(List<LayerSpec> layers) {}

    /** Registered by core-api itself: composition is part of the engine, not of a plugin. */
    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, new Config(List.of()));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            List<Layer> built = config.layers().stream().map(context::build).toList();
            List<String> names = config.layers().stream().map(LayerSpec::name).toList();
            return new Sequential(built, names);
        }
    }
}

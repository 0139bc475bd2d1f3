package dev.dendrite.basic.layers;

import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.Tensor;
import java.util.function.UnaryOperator;

/** A parameterless elementwise layer around one primitive. */
final class Activation extends Module {
    private final UnaryOperator<Tensor> f;

    Activation(String kind, UnaryOperator<Tensor> f) {
        super(kind);
        this.f = f;
    }

    @Override
    protected Tensor call(Tensor x) {
        return f.apply(x);
    }

    /** A provider for an activation configured by {@code C}. */
    abstract static class Provider<C extends Record> extends BaseProvider<C> implements LayerProvider<C> {
        Provider(String id, Class<C> type, C defaults) {
            super(id, type, defaults);
        }

        @Override
        public final Layer create(C config, LayerContext context) {
            return new Activation(id(), x -> apply(config, x));
        }

        abstract Tensor apply(C config, Tensor x);
    }

    /** An activation with nothing to configure. */
    abstract static class Plain extends Provider<NoConfig> {
        private final UnaryOperator<Tensor> f;

        Plain(String id, UnaryOperator<Tensor> f) {
            super(id, NoConfig.class, new NoConfig());
            this.f = f;
        }

        @Override
        final Tensor apply(NoConfig config, Tensor x) {
            return f.apply(x);
        }
    }
}

package org.example.swish;

import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.Tensor;

/**
 * Swish, {@code x·σ(βx)} with a learnable β (Ramachandran et al. 2017): a whole plugin layer. It only
 * composes primitives, so its backward, its ONNX export and its ONNX Runtime check come for free.
 */
public final class Swish extends Module {
    public static final String ID = "swish";
    private final Tensor beta;

    /** The JSON config of {@code {"type": "swish", "config": {"beta": 1.0}}}. */
    public record Config(double beta) {}

    public Swish(Config config, LayerContext context) {
        super(ID);
        beta = parameter("beta", Init.ones(context.dtype(), 1).muli(config.beta()));
    }

    @Override
    protected Tensor call(Tensor x) {
        return F.mul(x, F.sigmoid(F.mul(x, beta)));
    }

    /** Listed in META-INF/services/dev.dendrite.nn.LayerProvider: that line is what makes it a plugin. */
    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, new Config(1.0));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new Swish(config, context);
        }
    }
}

package dev.dendrite.basic.dropin;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;

/**
 * A third-party layer as a user would write it: Swish, x·σ(βx) with a learnable β (Ramachandran et al.
 * 2017). It lives only in this test source set and is registered by the test resources'
 * META-INF/services file; nothing in Dendrite knows it, yet it trains, saves and is checked by the kit.
 */
public final class Swish extends Module {
    private final Tensor beta;

    public record Config(double beta) {}

    public Swish(Config config, LayerContext ctx) {
        super("swish");
        this.beta = parameter("beta", Init.ones(ctx.dtype(), 1).muli(config.beta()));
    }

    @Override
    protected Tensor call(Tensor x) {
        return F.mul(x, F.sigmoid(F.mul(x, beta)));
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super("swish", Config.class, new Config(1.0));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new Swish(config, context);
        }
    }
}

package dev.dendrite.basic.layers;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014): active in training, the identity in evaluation. Each call
 * draws its mask seed from the run's random stream, so a seeded run repeats its masks exactly.
 */
public final class Dropout extends Module {
    public static final String ID = "dropout";
    private final double p;
    private final Rng rng;

    public record Config(double p) {}

    public Dropout(Config config, LayerContext ctx) {
        super(ID);
        if (!(config.p() >= 0 && config.p() < 1)) {
            throw new ShapeException("dropout: p must be in [0, 1), got " + config.p());
        }
        this.p = config.p();
        this.rng = ctx.rng();
    }

    @Override
    protected Tensor call(Tensor x) {
        return isTraining() && p > 0 ? F.dropout(x, p, rng.nextLong()) : x;
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, new Config(0.5));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new Dropout(config, context);
        }
    }
}

package dev.dendrite.basic.layers;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;

/** A lookup table: integer ids of any shape → their rows of a [count, dim] weight, N(0, 1) as in PyTorch. */
public final class Embedding extends Module {
    public static final String ID = "embedding";
    private final Tensor weight;

    public record Config(long count, long dim) {}

    public Embedding(Config config, LayerContext ctx) {
        super(ID);
        if (config.count() <= 0 || config.dim() <= 0) {
            throw new ShapeException("embedding: count and dim must be positive, got " + config);
        }
        this.weight = parameter("weight", Init.normal(ctx.rng(), ctx.dtype(), 0, 1, config.count(), config.dim()));
    }

    @Override
    protected Tensor call(Tensor ids) {
        if (!ids.dtype().isIntType()) {
            throw new ShapeException("expected integer ids, got " + ids.dtype() + " " + Shapes.str(ids.shape()));
        }
        return F.gather(weight, ids, 0);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, new Config(1, 1));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new Embedding(config, context);
        }
    }
}

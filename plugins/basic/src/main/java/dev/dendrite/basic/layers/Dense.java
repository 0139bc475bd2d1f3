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

/** y = x·Wᵀ + b, W in PyTorch's [out, in] layout so weights move between the two unchanged. */
public final class Dense extends Module {
    public static final String ID = "dense";
    private final Config config;
    private final Tensor weight;
    private final Tensor bias;

    /**
     * @param weightInit an {@link Init#byName} initialiser; kaiming_uniform suits the ReLU nets it is
     *     mostly used in
     */
    public record Config(long in, long out, boolean bias, String weightInit) {}

    public Dense(Config config, LayerContext ctx) {
        super(ID);
        if (config.in() <= 0 || config.out() <= 0) {
            throw new ShapeException("dense: in and out must be positive, got in=" + config.in() + ", out="
                    + config.out());
        }
        this.config = config;
        this.weight = parameter("weight", Init.byName(config.weightInit(), ctx.rng(), ctx.dtype(), config.out(),
                config.in()));
        this.bias = config.bias() ? parameter("bias", Init.zeros(ctx.dtype(), config.out())) : null;
    }

    @Override
    protected Tensor call(Tensor x) {
        if (x.rank() < 2 || x.size(-1) != config.in()) {
            throw new ShapeException("expected input [batch, ..., " + config.in() + "], got " + Shapes.str(x.shape()));
        }
        return F.linear(x, weight, bias);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, new Config(1, 1, true, "kaiming_uniform"));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new Dense(config, context);
        }
    }
}

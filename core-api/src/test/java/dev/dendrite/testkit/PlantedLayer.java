package dev.dendrite.testkit;

import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A layer for testing the kit itself: y = 2 · x ⊙ w over the last axis, with one fault planted on request
 * ({@code "nan_grad"}: a NaN in the input's gradient; {@code "jitter"}: an output that differs by 1e-12
 * between instances, which {@code INDArray.equals} would call equal).
 */
final class PlantedLayer extends Module {
    static final String ID = "planted_for_kit_test";
    /** Counts instances, so that "jitter" differs between two layers built from the same seed. */
    private static final AtomicLong INSTANCES = new AtomicLong();
    private final Config config;
    private final Tensor weight;
    private final long instance = INSTANCES.incrementAndGet();

    record Config(long n, String plant) {}

    private PlantedLayer(Config config, LayerContext ctx) {
        super(ID);
        this.config = config;
        this.weight = parameter("weight", Init.normal(ctx.rng(), ctx.dtype(), 0, 1, config.n()));
    }

    @Override
    protected Tensor call(Tensor x) {
        if (x.rank() < 1 || x.size(-1) != config.n()) {
            throw new ShapeException("expected [..., " + config.n() + "], got " + Shapes.str(x.shape()));
        }
        Tensor y = new Planted(config.plant().equals("nan_grad") ? 1 : -1, Double.NaN, false).apply1(F.mul(x, weight));
        return config.plant().equals("jitter") ? F.add(y, F.scalar(y, 1e-12 * instance)) : y;
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, new Config(3, "none"));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new PlantedLayer(config, context);
        }
    }
}

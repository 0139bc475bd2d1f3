package dev.dendrite.kernel.layers;

import dev.dendrite.kernel.ops.Step;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Tensor;

/**
 * Random features of the arc-cosine kernels (Cho and Saul 2009, "Kernel methods for deep learning"):
 * {@code φ(x) = √(2/D) · Θ(Wx)·(Wx)ⁿ} with W ~ N(0, I), whose inner products average to
 * {@code k_n(x, y) = (1/π)‖x‖ⁿ‖y‖ⁿ J_n(θ)}, J₀ = π − θ and J₁ = sin θ + (π − θ) cos θ. Degree 0 is a layer
 * of random threshold units, degree 1 of random ReLUs: an infinitely wide one-layer network's kernel.
 * W is a saved buffer: these are features, not weights.
 */
public final class ArcCosineFeatures extends Module {
    public static final String ID = "arc_cosine_features";
    private final Config config;
    private final Tensor weight;
    private final double scale;

    public record Config(long in, long features, int degree) {}

    public ArcCosineFeatures(Config config, LayerContext ctx) {
        super(ID);
        Checks.positive(ID, config.in(), "features", config.features());
        if (config.degree() != 0 && config.degree() != 1) {
            throw new DendriteException(ID + ": degree must be 0 or 1, got " + config.degree());
        }
        this.config = config;
        this.weight = Tensor.of(buffer("weight", Init.normal(ctx.rng(), ctx.dtype(), 0, 1, config.features(),
                config.in())));
        this.scale = Math.sqrt(2.0 / config.features());
    }

    @Override
    protected Tensor call(Tensor x) {
        Checks.input(x, config.in());
        Tensor u = F.linear(x, weight, null);
        Tensor phi = config.degree() == 0 ? Step.apply(u) : F.relu(u);
        return F.mul(phi, scale);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, new Config(1, 1, 1));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new ArcCosineFeatures(config, context);
        }
    }
}

package dev.dendrite.kernel.layers;

import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Random Fourier features (Rahimi and Recht 2007, "Random features for large-scale kernel machines"):
 * {@code z(x) = √(2/D) · cos(x·ωᵀ + b)} with ω ~ N(0, 2γ·I) and b ~ U[0, 2π), so that
 * {@code E[z(x)·z(y)] = exp(−γ‖x−y‖²)}, the Gaussian kernel. With {@code learnable} the frequencies and
 * phases become parameters (Yang et al. 2015's "à la carte" kernels); otherwise they are saved buffers.
 */
public final class RandomFourierFeatures extends Module {
    public static final String ID = "random_fourier_features";
    private final Config config;
    private final Tensor omega;
    private final Tensor phase;
    private final double scale;

    /** @param gamma the Gaussian kernel's γ; null means 1/in */
    public record Config(long in, long features, Double gamma, boolean learnable) {}

    public RandomFourierFeatures(Config config, LayerContext ctx) {
        super(ID);
        Checks.positive(ID, config.in(), "features", config.features());
        double gamma = Checks.gamma(ID, config.gamma(), config.in());
        this.config = config;
        INDArray w = Init.normal(ctx.rng(), ctx.dtype(), 0, Math.sqrt(2 * gamma), config.features(), config.in());
        INDArray b = Init.uniform(ctx.rng(), ctx.dtype(), 0, 2 * Math.PI, config.features());
        this.omega = config.learnable() ? parameter("omega", w) : Tensor.of(buffer("omega", w));
        this.phase = config.learnable() ? parameter("phase", b) : Tensor.of(buffer("phase", b));
        this.scale = Math.sqrt(2.0 / config.features());
    }

    @Override
    protected Tensor call(Tensor x) {
        Checks.input(x, config.in());
        return F.mul(F.cos(F.linear(x, omega, phase)), scale);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, new Config(1, 1, null, false));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new RandomFourierFeatures(config, context);
        }
    }
}

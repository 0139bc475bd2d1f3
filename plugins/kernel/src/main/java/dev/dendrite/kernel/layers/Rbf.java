package dev.dendrite.kernel.layers;

import dev.dendrite.kernel.KMeans;
import dev.dendrite.kernel.ops.GaussianRbf;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Gaussian radial basis units (Broomhead and Lowe 1988; Moody and Darken 1989): {@code y_j = exp(−γ_j ‖x − c_j‖²)}
 * with learnable centres {@code c} [centres, in] and widths, on the fused {@link GaussianRbf} primitive (one
 * GEMM forward, two backward). The width is held as {@code log_gamma} so that gradient steps keep γ positive.
 * {@link #fitCentres} places the centres by k-means on a sample of the data and sets each width from its
 * cluster's spread, the classic two-stage initialisation.
 */
public final class Rbf extends Module {
    public static final String ID = "rbf";
    private final Config config;
    private final Tensor centres;
    /** A parameter, or (learnGamma false) a constant over the saved buffer. */
    private final Tensor logGamma;

    /**
     * @param gamma the initial γ of every unit; null means 1/in, the scale of ‖x−c‖² between unit-variance
     *     vectors
     * @param learnGamma whether the widths train (otherwise they are a saved buffer)
     */
    public record Config(long in, long centres, Double gamma, boolean learnGamma) {}

    public Rbf(Config config, LayerContext ctx) {
        super(ID);
        Checks.positive(ID, config.in(), "centres", config.centres());
        double gamma = Checks.gamma(ID, config.gamma(), config.in());
        this.config = config;
        this.centres = parameter("centres", Init.normal(ctx.rng(), ctx.dtype(), 0, 1, config.centres(),
                config.in()));
        INDArray lg = Nd4j.valueArrayOf(new long[] {config.centres()}, Math.log(gamma), ctx.dtype());
        this.logGamma = config.learnGamma() ? parameter("log_gamma", lg) : Tensor.of(buffer("log_gamma", lg));
    }

    @Override
    protected Tensor call(Tensor x) {
        Checks.input(x, config.in());
        return GaussianRbf.apply(x, centres, logGamma);
    }

    /** The centres [centres, in], live (edits change the layer). */
    public INDArray centres() {
        return centres.data();
    }

    /** γ per unit, a copy. */
    public INDArray gamma() {
        return Transforms.exp(logGamma.data(), true);
    }

    /**
     * Moves the centres to k-means centroids of {@code sample} [n, in] (n ≥ centres) and sets unit j's width
     * to {@code γ_j = 1 / (2 σ_j²)}, σ_j² being the mean squared distance of its cluster's members to it (the
     * overall mean for clusters of fewer than two members). Returns the clustering.
     */
    public KMeans.Result fitCentres(INDArray sample, int iterations, Rng rng) {
        if (sample.rank() != 2 || sample.size(1) != config.in()) {
            throw new ShapeException("rbf: the k-means sample must be [n, " + config.in() + "], got "
                    + Shapes.str(sample.shape()));
        }
        KMeans.Result km = KMeans.fit(sample.castTo(centres.data().dataType()), (int) config.centres(), iterations,
                rng);
        centres.data().assign(km.centroids());
        INDArray sigma2 = km.meanSquaredRadius();
        INDArray lg = Transforms.log(sigma2.mul(2.0).rdivi(1.0), false).castTo(centres.data().dataType());
        logGamma.data().assign(lg);
        return km;
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, new Config(1, 1, null, true));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new Rbf(config, context);
        }
    }
}

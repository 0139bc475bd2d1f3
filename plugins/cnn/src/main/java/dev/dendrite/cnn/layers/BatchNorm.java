package dev.dendrite.cnn.layers;

import dev.dendrite.cnn.ops.CnnF;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Module;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalisation over the channel axis (Ioffe and Szegedy 2015) with PyTorch's conventions: weight
 * (ones) and bias (zeros) when affine; buffers {@code running_mean} (zeros) and {@code running_var} (ones),
 * saved in checkpoints. Training mode normalises with the batch's statistics and updates the running ones,
 * running = (1 − momentum)·running + momentum·batch (unbiased variance); evaluation mode uses the running ones.
 */
public abstract sealed class BatchNorm extends Module permits BatchNorm1d, BatchNorm2d {
    private final long features;
    private final double eps;
    private final double momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final INDArray runningMean;
    private final INDArray runningVar;

    public record Config(long features, double eps, double momentum, boolean affine) {
        /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine. */
        public static Config of(long features) {
            return new Config(features, 1e-5, 0.1, true);
        }
    }

    BatchNorm(String id, Config c, LayerContext ctx) {
        super(id);
        if (c.features() <= 0 || !(c.eps() > 0) || !(c.momentum() >= 0 && c.momentum() <= 1)) {
            throw new ShapeException(id + ": features must be positive, eps > 0 and momentum in [0, 1], got " + c);
        }
        this.features = c.features();
        this.eps = c.eps();
        this.momentum = c.momentum();
        this.weight = c.affine() ? parameter("weight", Init.ones(ctx.dtype(), features)) : null;
        this.bias = c.affine() ? parameter("bias", Init.zeros(ctx.dtype(), features)) : null;
        this.runningMean = buffer("running_mean", Init.zeros(ctx.dtype(), features));
        this.runningVar = buffer("running_var", Init.ones(ctx.dtype(), features));
    }

    /** Whether this layer takes inputs of {@code rank}. */
    abstract boolean acceptsRank(int rank);

    /** The accepted input layouts, for messages, e.g. "[N, 3, H, W]". */
    abstract String layout(long channels);

    @Override
    protected Tensor call(Tensor x) {
        if (!acceptsRank(x.rank()) || x.size(1) != features) {
            throw new ShapeException("expected input " + layout(features) + ", got shape " + Shapes.str(x.shape()));
        }
        return CnnF.batchNorm(x, runningMean, runningVar, weight, bias, isTraining(), momentum, eps);
    }
}

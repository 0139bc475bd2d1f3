package dev.dendrite.attention;

import dev.dendrite.nn.Init;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;

/**
 * Layer normalisation (Ba et al. 2016) over the last axis: (x − μ)/√(σ² + ε)·γ + β, γ = 1 and β = 0 at
 * start, named {@code weight} and {@code bias} as PyTorch's {@code nn.LayerNorm}.
 */
final class LayerNorm extends Module {
    private final long size;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    LayerNorm(long size, double eps, LayerContext ctx) {
        super("layer_norm");
        this.size = size;
        this.eps = eps;
        this.weight = parameter("weight", Init.ones(ctx.dtype(), size));
        this.bias = parameter("bias", Init.zeros(ctx.dtype(), size));
    }

    @Override
    protected Tensor call(Tensor x) {
        if (x.rank() < 1 || x.size(-1) != size) {
            throw new ShapeException("expected input [..., " + size + "], got " + Shapes.str(x.shape()));
        }
        return F.layerNorm(x, weight, bias, -1, eps);
    }
}

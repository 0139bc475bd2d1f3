package dev.dendrite.attention;

import dev.dendrite.nn.Init;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;

/**
 * y = x·Wᵀ + b with W [out, in] (PyTorch's {@code nn.Linear} layout, so state_dicts map one to one), initialised
 * as PyTorch does: W and b ~ U(±1/√in). A child of the transformer layers, not a registered layer.
 */
final class Linear extends Module {
    /** x·Wᵀ + b on one GEMM whatever x's rank; bias may be null. */
    static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return F.linear(x, weight, bias);
    }

    private final long in;
    private final Tensor weight;
    private final Tensor bias;

    /** @param zeroBias PyTorch zeroes the bias of attention's out_proj after the default init */
    Linear(long in, long out, boolean bias, boolean zeroBias, LayerContext ctx) {
        super("linear");
        this.in = in;
        double bound = 1 / Math.sqrt(in);
        this.weight = parameter("weight", Init.uniform(ctx.rng(), ctx.dtype(), -bound, bound, out, in));
        this.bias = !bias ? null : parameter("bias", zeroBias ? Init.zeros(ctx.dtype(), out)
                : Init.uniform(ctx.rng(), ctx.dtype(), -bound, bound, out));
    }

    @Override
    protected Tensor call(Tensor x) {
        if (x.rank() < 2 || x.size(-1) != in) {
            throw new ShapeException("expected input [..., " + in + "], got " + Shapes.str(x.shape()));
        }
        return linear(x, weight, bias);
    }
}

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
import java.util.Arrays;

/**
 * Layer normalisation (Ba et al. 2016) over the trailing {@code normalizedShape} dims, with a learned
 * scale (ones) and shift (zeros) when {@code affine}, as PyTorch's {@code nn.LayerNorm}.
 */
public final class LayerNorm extends Module {
    public static final String ID = "layer_norm";
    private final long[] normalized;
    private final double eps;
    private final Tensor gamma;
    private final Tensor beta;

    public record Config(long[] normalizedShape, double eps, boolean affine) {
        // Arrays compare by identity in a record: compare contents so configs round-trip as equal.
        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && Arrays.equals(normalizedShape, c.normalizedShape) && eps == c.eps
                    && affine == c.affine;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(normalizedShape) * 31 + Double.hashCode(eps) * 2 + (affine ? 1 : 0);
        }

        @Override
        public String toString() {
            return "Config[normalizedShape=" + Arrays.toString(normalizedShape) + ", eps=" + eps + ", affine="
                    + affine + "]";
        }
    }

    public LayerNorm(Config config, LayerContext ctx) {
        super(ID);
        if (config.normalizedShape() == null || config.normalizedShape().length == 0
                || Arrays.stream(config.normalizedShape()).anyMatch(d -> d <= 0) || !(config.eps() > 0)) {
            throw new ShapeException("layer_norm: normalizedShape must be non-empty and positive and eps > 0, got "
                    + config);
        }
        this.normalized = config.normalizedShape().clone();
        this.eps = config.eps();
        Tensor ones = Tensor.of(Init.ones(ctx.dtype(), normalized));
        this.gamma = config.affine() ? parameter("weight", Init.ones(ctx.dtype(), normalized)) : ones;
        this.beta = config.affine() ? parameter("bias", Init.zeros(ctx.dtype(), normalized)) : null;
    }

    @Override
    protected Tensor call(Tensor x) {
        int k = normalized.length;
        if (x.rank() <= k || !Arrays.equals(Arrays.copyOfRange(x.shape(), x.rank() - k, x.rank()), normalized)) {
            throw new ShapeException("expected an input [batch, ..., " + Arrays.toString(normalized).replaceAll("[\\[\\]]", "")
                    + "], got " + Shapes.str(x.shape()));
        }
        return F.layerNorm(x, gamma, beta, -k, eps);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, new Config(new long[] {1}, 1e-5, true));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new LayerNorm(config, context);
        }
    }
}

package dev.dendrite.cnn.layers;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.cnn.ops.CnnF;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;

/**
 * 1-D convolution over [N, in, L], as PyTorch's {@code nn.Conv1d}: weight [out, in/groups, k], bias [out],
 * both U(±1/√fanIn). Padding is an int or "same" (stride 1; an odd total goes to the end).
 */
public final class Conv1d extends Module {
    public static final String ID = "conv1d";
    private final long stride;
    private final long padLeft;
    private final long padRight;
    private final long dilation;
    private final long groups;
    private final Tensor weight;
    private final Tensor bias;

    public record Config(long in, long out, long kernel, long stride, Padding padding, long dilation, long groups,
            boolean bias) {
        /** Stride 1, no padding, no dilation, one group, with bias. */
        public static Config of(long in, long out, long kernel) {
            return new Config(in, out, kernel, 1, Padding.VALID, 1, 1, true);
        }
    }

    public Conv1d(Config c, LayerContext ctx) {
        super(ID);
        Padding p = c.padding();
        if (c.in() <= 0 || c.out() <= 0 || c.groups() < 1 || c.in() % c.groups() != 0 || c.out() % c.groups() != 0
                || c.kernel() < 1 || c.stride() < 1 || c.dilation() < 1 || p == null
                || (!p.same() && (p.h() != p.w() || p.w() < 0))) {
            throw new ShapeException(ID + ": in and out must be positive multiples of groups, kernel, stride and dilation"
                    + " >= 1, padding an int >= 0 or \"same\", got " + c);
        }
        if (p.same() && c.stride() != 1) {
            throw new ShapeException(ID + ": padding \"same\" needs stride 1, got stride " + c.stride());
        }
        this.stride = c.stride();
        this.dilation = c.dilation();
        this.groups = c.groups();
        long total = dilation * (c.kernel() - 1);
        this.padLeft = p.same() ? total / 2 : p.w();
        this.padRight = p.same() ? total - total / 2 : p.w();
        long fanIn = c.in() / c.groups() * c.kernel();
        this.weight = parameter("weight", TorchInit.uniform(ctx, fanIn, c.out(), c.in() / c.groups(), c.kernel()));
        this.bias = c.bias() ? parameter("bias", TorchInit.uniform(ctx, fanIn, c.out())) : null;
    }

    @Override
    protected Tensor call(Tensor x) {
        return CnnF.conv1d(x, weight, bias, stride, padLeft, padRight, dilation, groups);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.of(1, 1, 1));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new Conv1d(config, context);
        }
    }
}

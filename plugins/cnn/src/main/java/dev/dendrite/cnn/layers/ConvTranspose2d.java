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
 * 2-D transposed convolution, as PyTorch's {@code nn.ConvTranspose2d}: weight [in, out/groups, kH, kW], bias
 * [out], both U(±1/√fanIn) with PyTorch's fanIn = out/groups·kH·kW. Output size
 * (in − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 */
public final class ConvTranspose2d extends Module {
    public static final String ID = "conv_transpose2d";
    private final long[] stride;
    private final long[] padding;
    private final long[] outputPadding;
    private final long[] dilation;
    private final long groups;
    private final Tensor weight;
    private final Tensor bias;

    public record Config(long in, long out, Size2d kernel, Size2d stride, Size2d padding, Size2d outputPadding,
            long groups, boolean bias, Size2d dilation) {
        /** Stride 1, no padding, one group, with bias. */
        public static Config of(long in, long out, long kernel) {
            return new Config(in, out, Size2d.of(kernel), Size2d.of(1), Size2d.of(0), Size2d.of(0), 1, true,
                    Size2d.of(1));
        }

        public Config with(long stride, long padding, long outputPadding) {
            return new Config(in, out, kernel, Size2d.of(stride), Size2d.of(padding), Size2d.of(outputPadding), groups,
                    bias, dilation);
        }
    }

    public ConvTranspose2d(Config c, LayerContext ctx) {
        super(ID);
        if (c.in() <= 0 || c.out() <= 0 || c.groups() < 1 || c.in() % c.groups() != 0 || c.out() % c.groups() != 0
                || c.kernel() == null || !c.kernel().atLeast(1) || c.stride() == null || !c.stride().atLeast(1)
                || c.dilation() == null || !c.dilation().atLeast(1) || c.padding() == null || !c.padding().atLeast(0)
                || c.outputPadding() == null || !c.outputPadding().atLeast(0)
                || c.outputPadding().h() >= Math.max(c.stride().h(), c.dilation().h())
                || c.outputPadding().w() >= Math.max(c.stride().w(), c.dilation().w())) {
            throw new ShapeException(ID + ": in and out must be positive multiples of groups, kernel, stride and dilation"
                    + " >= 1, padding >= 0, output padding >= 0 and smaller than stride or dilation, got " + c);
        }
        this.stride = c.stride().toArray();
        this.padding = c.padding().toArray();
        this.outputPadding = c.outputPadding().toArray();
        this.dilation = c.dilation().toArray();
        this.groups = c.groups();
        long[] k = c.kernel().toArray();
        long fanIn = c.out() / c.groups() * k[0] * k[1];
        this.weight = parameter("weight", TorchInit.uniform(ctx, fanIn, c.in(), c.out() / c.groups(), k[0], k[1]));
        this.bias = c.bias() ? parameter("bias", TorchInit.uniform(ctx, fanIn, c.out())) : null;
    }

    @Override
    protected Tensor call(Tensor x) {
        return CnnF.convTranspose2d(x, weight, bias, stride, padding, outputPadding, dilation, groups);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.of(1, 1, 1));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new ConvTranspose2d(config, context);
        }
    }
}

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
 * 2-D convolution over [N, in, H, W], as PyTorch's {@code nn.Conv2d}: weight [out, in/groups, kH, kW], bias
 * [out], both U(±1/√fanIn). Groups split the channels into independent convolutions (groups = in is
 * depthwise); padding "same" keeps H and W at stride 1.
 */
public final class Conv2d extends Module {
    public static final String ID = "conv2d";
    private final long[] stride;
    private final long[] pads;
    private final long[] dilation;
    private final long groups;
    private final Tensor weight;
    private final Tensor bias;

    public record Config(long in, long out, Size2d kernel, Size2d stride, Padding padding, Size2d dilation, long groups,
            boolean bias) {
        /** Stride 1, no padding, no dilation, one group, with bias. */
        public static Config of(long in, long out, long kernel) {
            return new Config(in, out, Size2d.of(kernel), Size2d.of(1), Padding.VALID, Size2d.of(1), 1, true);
        }

        public Config withStride(long s) {
            return new Config(in, out, kernel, Size2d.of(s), padding, dilation, groups, bias);
        }

        public Config withPadding(Padding p) {
            return new Config(in, out, kernel, stride, p, dilation, groups, bias);
        }

        public Config withDilation(long d) {
            return new Config(in, out, kernel, stride, padding, Size2d.of(d), groups, bias);
        }

        public Config withGroups(long g) {
            return new Config(in, out, kernel, stride, padding, dilation, g, bias);
        }

        public Config withBias(boolean b) {
            return new Config(in, out, kernel, stride, padding, dilation, groups, b);
        }
    }

    public Conv2d(Config c, LayerContext ctx) {
        super(ID);
        if (c.in() <= 0 || c.out() <= 0 || c.groups() < 1 || c.in() % c.groups() != 0 || c.out() % c.groups() != 0
                || c.kernel() == null || !c.kernel().atLeast(1) || c.stride() == null || !c.stride().atLeast(1)
                || c.dilation() == null || !c.dilation().atLeast(1) || c.padding() == null
                || (!c.padding().same() && (c.padding().h() < 0 || c.padding().w() < 0))) {
            throw new ShapeException(ID + ": in and out must be positive multiples of groups, kernel, stride and dilation"
                    + " >= 1, padding >= 0, got " + c);
        }
        if (c.padding().same() && !c.stride().equals(Size2d.of(1))) {
            throw new ShapeException(ID + ": padding \"same\" needs stride 1, got stride " + c.stride());
        }
        this.stride = c.stride().toArray();
        this.dilation = c.dilation().toArray();
        this.groups = c.groups();
        long[] k = c.kernel().toArray();
        this.pads = c.padding().same() ? CnnF.samePadding(k, dilation)
                : new long[] {c.padding().h(), c.padding().w(), c.padding().h(), c.padding().w()};
        long fanIn = c.in() / c.groups() * k[0] * k[1];
        this.weight = parameter("weight", TorchInit.uniform(ctx, fanIn, c.out(), c.in() / c.groups(), k[0], k[1]));
        this.bias = c.bias() ? parameter("bias", TorchInit.uniform(ctx, fanIn, c.out())) : null;
    }

    @Override
    protected Tensor call(Tensor x) {
        return CnnF.conv2d(x, weight, bias, stride, pads, dilation, groups);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.of(1, 1, 1));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new Conv2d(config, context);
        }
    }
}

package dev.dendrite.cnn.layers;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.cnn.ops.CnnF;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.tensor.Tensor;

/**
 * Max pooling over [N, C, H, W], as PyTorch's {@code nn.MaxPool2d}: the stride defaults to the kernel, padding
 * (at most half the kernel) never wins the max, and ceil mode rounds the output size up.
 */
public final class MaxPool2d extends Module {
    public static final String ID = "max_pool2d";
    private final long[] kernel;
    private final long[] stride;
    private final long[] padding;
    private final boolean ceilMode;

    /** @param stride null: the kernel size */
    public record Config(Size2d kernel, Size2d stride, Size2d padding, boolean ceilMode) {
        public static Config of(long kernel) {
            return new Config(Size2d.of(kernel), null, Size2d.of(0), false);
        }
    }

    public MaxPool2d(Config c, LayerContext ctx) {
        super(ID);
        Pooling.check(ID, c.kernel(), c.stride(), c.padding(), c.toString());
        this.kernel = c.kernel().toArray();
        this.stride = (c.stride() == null ? c.kernel() : c.stride()).toArray();
        this.padding = c.padding().toArray();
        this.ceilMode = c.ceilMode();
    }

    @Override
    protected Tensor call(Tensor x) {
        return CnnF.maxPool2d(x, kernel, stride, padding, ceilMode);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.of(2));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new MaxPool2d(config, context);
        }
    }
}

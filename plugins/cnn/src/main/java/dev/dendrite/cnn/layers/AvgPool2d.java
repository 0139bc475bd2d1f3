package dev.dendrite.cnn.layers;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.cnn.ops.CnnF;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.tensor.Tensor;

/**
 * Average pooling over [N, C, H, W], as PyTorch's {@code nn.AvgPool2d}: the stride defaults to the kernel;
 * {@code countIncludePad} divides by the window including its padding (PyTorch's default), otherwise by the
 * cells inside the input; ceil mode rounds the output size up.
 */
public final class AvgPool2d extends Module {
    public static final String ID = "avg_pool2d";
    private final long[] kernel;
    private final long[] stride;
    private final long[] padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    /** @param stride null: the kernel size */
    public record Config(Size2d kernel, Size2d stride, Size2d padding, boolean ceilMode, boolean countIncludePad) {
        public static Config of(long kernel) {
            return new Config(Size2d.of(kernel), null, Size2d.of(0), false, true);
        }
    }

    public AvgPool2d(Config c, LayerContext ctx) {
        super(ID);
        Pooling.check(ID, c.kernel(), c.stride(), c.padding(), c.toString());
        this.kernel = c.kernel().toArray();
        this.stride = (c.stride() == null ? c.kernel() : c.stride()).toArray();
        this.padding = c.padding().toArray();
        this.ceilMode = c.ceilMode();
        this.countIncludePad = c.countIncludePad();
    }

    @Override
    protected Tensor call(Tensor x) {
        return CnnF.avgPool2d(x, kernel, stride, padding, ceilMode, countIncludePad);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.of(2));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new AvgPool2d(config, context);
        }
    }
}

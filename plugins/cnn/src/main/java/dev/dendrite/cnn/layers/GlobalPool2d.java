package dev.dendrite.cnn.layers;

import dev.dendrite.cnn.ops.CnnF;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.Tensor;

/**
 * The mean or the maximum over H and W: [N, C, H, W] → [N, C, 1, 1], as ONNX's GlobalAveragePool and
 * GlobalMaxPool. Two providers, {@code global_avg_pool2d} and {@code global_max_pool2d}.
 */
public final class GlobalPool2d extends Module {
    public static final String AVG = "global_avg_pool2d";
    public static final String MAX = "global_max_pool2d";
    private final boolean max;

    public record Config() {}

    public GlobalPool2d(boolean max) {
        super(max ? MAX : AVG);
        this.max = max;
    }

    @Override
    protected Tensor call(Tensor x) {
        return max ? CnnF.globalMaxPool2d(x) : CnnF.globalAvgPool2d(x);
    }

    public static final class Avg extends BaseProvider<Config> implements LayerProvider<Config> {
        public Avg() {
            super(AVG, Config.class, new Config());
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new GlobalPool2d(false);
        }
    }

    public static final class Max extends BaseProvider<Config> implements LayerProvider<Config> {
        public Max() {
            super(MAX, Config.class, new Config());
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new GlobalPool2d(true);
        }
    }
}

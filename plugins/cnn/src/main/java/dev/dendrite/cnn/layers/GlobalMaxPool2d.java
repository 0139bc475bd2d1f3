package dev.dendrite.cnn.layers;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.cnn.ops.CnnF;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.tensor.Tensor;

/** The maximum over H and W: [N, C, H, W] → [N, C, 1, 1], as ONNX's GlobalMaxPool. */
public final class GlobalMaxPool2d extends Module {
    public static final String ID = "global_max_pool2d";

    public record Config() {}

    public GlobalMaxPool2d() {
        super(ID);
    }

    @Override
    protected Tensor call(Tensor x) {
        return CnnF.globalMaxPool2d(x);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, new Config());
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new GlobalMaxPool2d();
        }
    }
}

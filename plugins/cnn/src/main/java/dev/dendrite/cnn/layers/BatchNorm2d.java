package dev.dendrite.cnn.layers;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;

/** {@link BatchNorm} of images [N, C, H, W], as PyTorch's {@code nn.BatchNorm2d}. */
public final class BatchNorm2d extends BatchNorm {
    public static final String ID = "batch_norm2d";

    public BatchNorm2d(Config config, LayerContext ctx) {
        super(ID, config, ctx);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 4;
    }

    @Override
    String layout(long channels) {
        return "[N, " + channels + ", H, W]";
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.of(1));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new BatchNorm2d(config, context);
        }
    }
}

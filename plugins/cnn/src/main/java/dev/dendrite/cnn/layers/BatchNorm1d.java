package dev.dendrite.cnn.layers;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;

/** {@link BatchNorm} of features [N, C] or sequences [N, C, L], as PyTorch's {@code nn.BatchNorm1d}. */
public final class BatchNorm1d extends BatchNorm {
    public static final String ID = "batch_norm1d";

    public BatchNorm1d(Config config, LayerContext ctx) {
        super(ID, config, ctx);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }

    @Override
    String layout(long channels) {
        return "[N, " + channels + "] or [N, " + channels + ", L]";
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.of(1));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new BatchNorm1d(config, context);
        }
    }
}

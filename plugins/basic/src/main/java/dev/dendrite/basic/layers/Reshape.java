package dev.dendrite.basic.layers;

import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;

/**
 * Reshapes with ONNX's rules: 0 copies the input's dim, one -1 is inferred. {@code [0, 1, 28, 28]} turns
 * flat [N, 784] images into [N, 1, 28, 28] for any batch size, and exports as one Reshape node.
 */
public final class Reshape extends Module {
    public static final String ID = "reshape";
    private final long[] shape;

    public record Config(long[] shape) {
        // Arrays compare by identity in a record: compare contents so configs round-trip as equal.
        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && Arrays.equals(shape, c.shape);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return "Config[shape=" + Arrays.toString(shape) + "]";
        }
    }

    public Reshape(Config config) {
        super(ID);
        this.shape = config.shape().clone();
    }

    @Override
    protected Tensor call(Tensor x) {
        return F.reshape(x, shape);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, new Config(new long[] {0, -1}));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new Reshape(config);
        }
    }
}

package dev.dendrite.basic.layers;

import dev.dendrite.spi.BaseProvider;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;

/** Flattens the dims from {@code axis} on: [N, C, H, W] → [N, C·H·W] with the default axis 1. */
public final class Flatten extends Module {
    public static final String ID = "flatten";
    private final int axis;

    public record Config(int axis) {}

    public Flatten(Config config) {
        super(ID);
        this.axis = config.axis();
    }

    @Override
    protected Tensor call(Tensor x) {
        if (x.rank() < 2 || (axis > 0 && axis > x.rank())) {
            throw new ShapeException("expected an input of rank >= 2 with at least " + axis + " dims, got "
                    + Shapes.str(x.shape()));
        }
        return F.flatten(x, axis);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, new Config(1));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new Flatten(config);
        }
    }
}

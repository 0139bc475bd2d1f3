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
 * Resizes [N, C, H, W] to ⌊H·s⌋ × ⌊W·s⌋, as PyTorch's {@code nn.Upsample(scale_factor=s, mode=...)}: mode
 * "nearest" or "bilinear" (align_corners false).
 */
public final class Upsample2d extends Module {
    public static final String ID = "upsample2d";
    private final double scaleFactor;
    private final String mode;

    public record Config(double scaleFactor, String mode) {}

    public Upsample2d(Config c, LayerContext ctx) {
        super(ID);
        if (!(c.scaleFactor() > 0) || Double.isInfinite(c.scaleFactor())
                || !("nearest".equals(c.mode()) || "bilinear".equals(c.mode()))) {
            throw new ShapeException(ID + ": scaleFactor must be positive and mode \"nearest\" or \"bilinear\", got " + c);
        }
        this.scaleFactor = c.scaleFactor();
        this.mode = c.mode();
    }

    @Override
    protected Tensor call(Tensor x) {
        return CnnF.upsample2d(x, scaleFactor, mode);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, new Config(2, "nearest"));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new Upsample2d(config, context);
        }
    }
}

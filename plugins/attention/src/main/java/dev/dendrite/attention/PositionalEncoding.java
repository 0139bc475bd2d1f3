package dev.dendrite.attention;

import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adds position information to a sequence: y = dropout(x + PE[:T]) over x [T, N, d] (time first) or [N, T, d].
 *
 * <ul>
 *   <li>{@code "sinusoidal"} (Vaswani et al. 2017, §3.5): PE[t, 2i] = sin(t/10000^(2i/d)),
 *       PE[t, 2i+1] = cos(t/10000^(2i/d)), a fixed buffer {@code pe} [maxLen, d] (as the PyTorch tutorial's
 *       module, without its middle axis), saved with checkpoints but not trained;
 *   <li>{@code "learned"} (BERT, ViT): a parameter {@code weight} [maxLen, d], initialised N(0, 0.02²).
 * </ul>
 */
public final class PositionalEncoding extends Module {
    public static final String ID = "positional_encoding";
    private final Config config;
    private final Rng rng;
    private final Tensor table;

    public record Config(long dModel, long maxLen, String kind, double dropout, boolean batchFirst) {
        /** The fixed sine/cosine table; no dropout, time first. */
        public static Config sinusoidal(long dModel, long maxLen) {
            return new Config(dModel, maxLen, "sinusoidal", 0.0, false);
        }

        /** A trained table; no dropout, time first. */
        public static Config learned(long dModel, long maxLen) {
            return new Config(dModel, maxLen, "learned", 0.0, false);
        }

        public Config withDropout(double p) {
            return new Config(dModel, maxLen, kind, p, batchFirst);
        }

        public Config withBatchFirst(boolean b) {
            return new Config(dModel, maxLen, kind, dropout, b);
        }
    }

    public PositionalEncoding(Config c, LayerContext ctx) {
        super(ID);
        if (c.dModel() <= 0 || c.maxLen() <= 0) {
            throw new ShapeException(ID + ": dModel and maxLen must be positive, got dModel " + c.dModel()
                    + ", maxLen " + c.maxLen());
        }
        if (!(c.dropout() >= 0 && c.dropout() < 1)) {
            throw new ShapeException(ID + ": dropout must be in [0, 1), got " + c.dropout());
        }
        this.config = c;
        this.rng = ctx.rng();
        this.table = switch (c.kind() == null ? "" : c.kind()) {
            case "sinusoidal" -> Tensor.of(buffer("pe", sinusoid(ctx.dtype(), c.maxLen(), c.dModel())));
            case "learned" -> parameter("weight", Init.normal(ctx.rng(), ctx.dtype(), 0, 0.02, c.maxLen(), c.dModel()));
            default -> throw new ShapeException(ID + ": kind must be \"sinusoidal\" or \"learned\", got \"" + c.kind()
                    + "\"");
        };
    }

    /** PE[t, 2i] = sin(t·ω_i), PE[t, 2i+1] = cos(t·ω_i), ω_i = 10000^(−2i/d); computed once, in double. */
    static INDArray sinusoid(DataType type, long maxLen, long d) {
        INDArray t = Nd4j.arange(0, maxLen).castTo(DataType.DOUBLE).reshape(maxLen, 1);
        INDArray i2 = Nd4j.arange(0, d).castTo(DataType.DOUBLE);
        // Column c uses the frequency of its pair 2⌊c/2⌋, and even columns take sin, odd ones cos (= sin + π/2).
        INDArray pair = i2.dup();
        INDArray phase = Nd4j.zeros(DataType.DOUBLE, d);
        for (long c = 0; c < d; c++) { // d iterations once per layer, not a hot path
            pair.putScalar(c, c - c % 2);
            phase.putScalar(c, c % 2 == 0 ? 0 : Math.PI / 2);
        }
        INDArray freq = org.nd4j.linalg.ops.transforms.Transforms.exp(pair.muli(-Math.log(10000.0) / d), false);
        INDArray angle = t.mmul(freq.reshape(1, d)).addiRowVector(phase);
        return org.nd4j.linalg.ops.transforms.Transforms.sin(angle, false).castTo(type);
    }

    @Override
    protected Tensor call(Tensor x) {
        long d = config.dModel();
        String layout = config.batchFirst() ? "[N, T, " + d + "] (batch first)" : "[T, N, " + d + "] (time first)";
        if (x.rank() != 3 || x.size(2) != d) {
            throw new ShapeException("expected input " + layout + ", got " + Shapes.str(x.shape()));
        }
        Tensor y = new AddPositions(config.batchFirst() ? 1 : 0).apply1(x, table);
        return isTraining() && config.dropout() > 0 ? F.dropout(y, config.dropout(), rng.nextLong()) : y;
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.sinusoidal(1, 1));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new PositionalEncoding(config, context);
        }
    }
}

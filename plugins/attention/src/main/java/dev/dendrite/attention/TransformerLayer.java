package dev.dendrite.attention;

import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;

/**
 * What PyTorch's {@code nn.TransformerEncoderLayer} and {@code nn.TransformerDecoderLayer} share: their arguments
 * ({@link Config}), self-attention, the feed-forward block FF(x) = linear2(dropout(act(linear1(x)))) with its
 * dropout, and the layer norms, registered in PyTorch's state_dict order ({@code self_attn}, [{@code
 * multihead_attn}], {@code linear1}, {@code linear2}, {@code norm1}..).
 */
public abstract class TransformerLayer extends Module {
    /** PyTorch's transformer layer arguments, the config of both {@code transformer_*_layer}s. */
    public record Config(long dModel, int nhead, long dimFeedforward, double dropout, String activation,
            boolean normFirst, boolean batchFirst, double layerNormEps) {
        /** PyTorch's defaults: dropout 0.1, ReLU, post-norm, time first, ε = 1e-5. */
        public static Config of(long dModel, int nhead, long dimFeedforward) {
            return new Config(dModel, nhead, dimFeedforward, 0.1, "relu", false, false, 1e-5);
        }

        public Config withDropout(double p) {
            return new Config(dModel, nhead, dimFeedforward, p, activation, normFirst, batchFirst, layerNormEps);
        }

        public Config withActivation(String a) {
            return new Config(dModel, nhead, dimFeedforward, dropout, a, normFirst, batchFirst, layerNormEps);
        }

        public Config withNormFirst(boolean b) {
            return new Config(dModel, nhead, dimFeedforward, dropout, activation, b, batchFirst, layerNormEps);
        }

        public Config withBatchFirst(boolean b) {
            return new Config(dModel, nhead, dimFeedforward, dropout, activation, normFirst, b, layerNormEps);
        }

        public Config withLayerNormEps(double eps) {
            return new Config(dModel, nhead, dimFeedforward, dropout, activation, normFirst, batchFirst, eps);
        }
    }

    protected final Config config;
    private final Rng rng;
    private final MultiheadAttention selfAttn;
    /** The decoder's attention over the memory; null in the encoder. */
    protected final MultiheadAttention crossAttn;
    private final Linear linear1;
    private final Linear linear2;
    /** norm1..normN. */
    protected final LayerNorm[] norms;

    protected TransformerLayer(String id, Config c, boolean crossAttention, LayerContext ctx) {
        super(id);
        check(id, c);
        this.config = c;
        this.rng = ctx.rng();
        MultiheadAttention.Config mha = MultiheadAttention.Config.of(c.dModel(), c.nhead()).withDropout(c.dropout())
                .withBatchFirst(c.batchFirst());
        this.selfAttn = child("self_attn", new MultiheadAttention(mha, ctx));
        this.crossAttn = crossAttention ? child("multihead_attn", new MultiheadAttention(mha, ctx)) : null;
        this.linear1 = child("linear1", new Linear(c.dModel(), c.dimFeedforward(), true, false, ctx));
        this.linear2 = child("linear2", new Linear(c.dimFeedforward(), c.dModel(), true, false, ctx));
        this.norms = new LayerNorm[crossAttention ? 3 : 2];
        for (int i = 0; i < norms.length; i++) {
            norms[i] = child("norm" + (i + 1), new LayerNorm(c.dModel(), c.layerNormEps(), ctx));
        }
    }

    private static void check(String id, Config c) {
        if (c.dModel() <= 0 || c.nhead() <= 0 || c.dimFeedforward() <= 0) {
            throw new ShapeException(id + ": dModel, nhead and dimFeedforward must be positive, got dModel "
                    + c.dModel() + ", nhead " + c.nhead() + ", dimFeedforward " + c.dimFeedforward());
        }
        if (c.dModel() % c.nhead() != 0) {
            throw new ShapeException(id + ": dModel " + c.dModel() + " must be divisible by nhead " + c.nhead());
        }
        if (!(c.dropout() >= 0 && c.dropout() < 1)) {
            throw new ShapeException(id + ": dropout must be in [0, 1), got " + c.dropout());
        }
        if (!"relu".equals(c.activation()) && !"gelu".equals(c.activation())) {
            throw new ShapeException(id + ": activation must be \"relu\" or \"gelu\", got \"" + c.activation() + "\"");
        }
        if (!(c.layerNormEps() > 0)) {
            throw new ShapeException(id + ": layerNormEps must be positive, got " + c.layerNormEps());
        }
    }

    public final Config config() {
        return config;
    }

    /**
     * A [len, N, d] (or batch-first) input in the dtype of the layer's parameters, else an error naming this layer.
     *
     * @param len the length's letter in the message: L, T (target) or S (memory)
     */
    protected final void requireSequence(String what, String len, Tensor x) {
        long d = config.dModel();
        if (x == null || x.rank() != 3 || x.size(2) != d) {
            throw new ShapeException("expected " + what + " " + (config.batchFirst() ? "[N, " + len + ", " + d
                    + "] (batch first)" : "[" + len + ", N, " + d + "] (time first)") + ", got "
                    + (x == null ? "null" : Shapes.str(x.shape())));
        }
        org.nd4j.linalg.api.buffer.DataType want = norms[0].parameters().values().iterator().next().dtype();
        if (x.dtype() != want) {
            throw new ShapeException("expected " + what + " of dtype " + want + " (the layer's parameters), got "
                    + x.dtype() + " " + Shapes.str(x.shape()));
        }
    }

    /** dropout(SA(x)). */
    protected final Tensor selfAttention(Tensor x, Tensor mask, Tensor keyPadding, boolean causal) {
        return drop(selfAttn.attend(x, x, x, keyPadding, mask, causal, false).output());
    }

    /** dropout(FF(x)). */
    protected final Tensor feedForward(Tensor x) {
        Tensor h = drop("gelu".equals(config.activation()) ? F.gelu(linear1.forward(x)) : F.relu(linear1.forward(x)));
        return drop(linear2.forward(h));
    }

    /** Dropout in training only. */
    protected final Tensor drop(Tensor x) {
        return isTraining() && config.dropout() > 0 ? F.dropout(x, config.dropout(), rng.nextLong()) : x;
    }
}

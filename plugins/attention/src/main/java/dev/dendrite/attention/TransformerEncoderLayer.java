package dev.dendrite.attention;

import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;

/**
 * One transformer encoder layer (Vaswani et al. 2017) as PyTorch's {@code nn.TransformerEncoderLayer}:
 *
 * <pre>
 *   post-norm:  x = norm1(x + dropout1(SA(x)));        x = norm2(x + dropout2(FF(x)))
 *   pre-norm:   x = x + dropout1(SA(norm1(x)));        x = x + dropout2(FF(norm2(x)))
 *   FF(x) = linear2(dropout(act(linear1(x))))
 * </pre>
 *
 * with PyTorch's state_dict names ({@code self_attn.in_proj_weight}, {@code linear1.weight} [dff, d], ...,
 * {@code norm2.bias}) and initialisation. Input [L, N, d], or [N, L, d] with {@code batchFirst}.
 */
public final class TransformerEncoderLayer extends Module {
    public static final String ID = "transformer_encoder_layer";
    private final Config config;
    private final Rng rng;
    private final MultiheadAttention selfAttn;
    private final Linear linear1;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;

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

    public TransformerEncoderLayer(Config c, LayerContext ctx) {
        super(ID);
        TransformerBlocks.check(ID, c.dModel(), c.nhead(), c.dimFeedforward(), c.dropout(), c.activation(),
                c.layerNormEps());
        this.config = c;
        this.rng = ctx.rng();
        this.selfAttn = child("self_attn", new MultiheadAttention(
                MultiheadAttention.Config.of(c.dModel(), c.nhead()).withDropout(c.dropout())
                        .withBatchFirst(c.batchFirst()), ctx));
        this.linear1 = child("linear1", new Linear(c.dModel(), c.dimFeedforward(), true, false, ctx));
        this.linear2 = child("linear2", new Linear(c.dimFeedforward(), c.dModel(), true, false, ctx));
        this.norm1 = child("norm1", new LayerNorm(c.dModel(), c.layerNormEps(), ctx));
        this.norm2 = child("norm2", new LayerNorm(c.dModel(), c.layerNormEps(), ctx));
    }

    public Config config() {
        return config;
    }

    @Override
    protected Tensor call(Tensor src) {
        return encodeChecked(src, null, null, false);
    }

    /**
     * @param srcMask nullable [L, L] or [N·nhead, L, L]: bool (true = masked) or a float bias
     * @param srcKeyPaddingMask nullable [N, L]: bool (true = padding) or a float bias
     * @param causal adds the causal mask
     */
    public Tensor encode(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask, boolean causal) {
        try {
            return encodeChecked(src, srcMask, srcKeyPaddingMask, causal);
        } catch (ShapeException e) {
            throw e.inLayer(path(), kind());
        }
    }

    private Tensor encodeChecked(Tensor src, Tensor srcMask, Tensor keyPadding, boolean causal) {
        long d = config.dModel();
        if (src == null || src.rank() != 3 || src.size(2) != d) {
            throw new ShapeException("expected src " + (config.batchFirst() ? "[N, L, " + d + "] (batch first)"
                    : "[L, N, " + d + "] (time first)") + ", got "
                    + (src == null ? "null" : dev.dendrite.tensor.Shapes.str(src.shape())));
        }
        TransformerBlocks.requireDtype("src", src, norm1);
        Tensor x = src;
        if (config.normFirst()) {
            x = F.add(x, selfAttention(norm1.forward(x), srcMask, keyPadding, causal));
            return F.add(x, feedForward(norm2.forward(x)));
        }
        x = norm1.forward(F.add(x, selfAttention(x, srcMask, keyPadding, causal)));
        return norm2.forward(F.add(x, feedForward(x)));
    }

    private Tensor selfAttention(Tensor x, Tensor mask, Tensor keyPadding, boolean causal) {
        Tensor a = selfAttn.attend(x, x, x, keyPadding, mask, causal, false).output();
        return TransformerBlocks.dropout(a, config.dropout(), isTraining(), rng);
    }

    private Tensor feedForward(Tensor x) {
        Tensor h = TransformerBlocks.activation(config.activation(), linear1.forward(x));
        h = TransformerBlocks.dropout(h, config.dropout(), isTraining(), rng);
        return TransformerBlocks.dropout(linear2.forward(h), config.dropout(), isTraining(), rng);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.of(8, 2, 16));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new TransformerEncoderLayer(config, context);
        }
    }
}

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
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Multi-head attention (Vaswani et al. 2017, §3.2.2) as PyTorch's {@code nn.MultiheadAttention}:
 *
 * <pre>
 *   headᵢ = softmax((Q·W_qᵢ)(K·W_kᵢ)ᵀ/√(E/h) + mask)·(V·W_vᵢ),   y = concat(head₁..head_h)·W_oᵀ + b_o
 * </pre>
 *
 * with PyTorch's parameters and names: {@code in_proj_weight} [3E, E] (W_q; W_k; W_v stacked, xavier-uniform),
 * {@code in_proj_bias} [3E] (zeros), {@code out_proj.weight} [E, E] (U(±1/√E)), {@code out_proj.bias} [E]
 * (zeros). Inputs are [L, N, E] (time first, PyTorch's default) or [N, L, E] with {@code batchFirst}. Dropout
 * p acts on the attention weights in training. Heads run through one {@link AttentionF} primitive.
 */
public final class MultiheadAttention extends Module {
    public static final String ID = "multi_head_attention";
    private final Config config;
    private final long headDim;
    private final Rng rng;
    private final Tensor inProjWeight;
    private final Tensor inProjBias;
    private final Linear outProj;

    public record Config(long embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst) {
        /** PyTorch's defaults: no dropout, with biases, time first. */
        public static Config of(long embedDim, int numHeads) {
            return new Config(embedDim, numHeads, 0.0, true, false);
        }

        public Config withDropout(double p) {
            return new Config(embedDim, numHeads, p, bias, batchFirst);
        }

        public Config withBias(boolean b) {
            return new Config(embedDim, numHeads, dropout, b, batchFirst);
        }

        public Config withBatchFirst(boolean b) {
            return new Config(embedDim, numHeads, dropout, bias, b);
        }
    }

    public MultiheadAttention(Config c, LayerContext ctx) {
        super(ID);
        if (c.embedDim() <= 0 || c.numHeads() <= 0) {
            throw new ShapeException(ID + ": embedDim and numHeads must be positive, got embedDim " + c.embedDim()
                    + ", numHeads " + c.numHeads());
        }
        if (c.embedDim() % c.numHeads() != 0) {
            throw new ShapeException(ID + ": embedDim " + c.embedDim() + " must be divisible by numHeads "
                    + c.numHeads());
        }
        if (!(c.dropout() >= 0 && c.dropout() < 1)) {
            throw new ShapeException(ID + ": dropout must be in [0, 1), got " + c.dropout());
        }
        this.config = c;
        this.headDim = c.embedDim() / c.numHeads();
        this.rng = ctx.rng();
        long e = c.embedDim();
        this.inProjWeight = parameter("in_proj_weight", Init.xavierUniform(ctx.rng(), ctx.dtype(), 3 * e, e));
        this.inProjBias = c.bias() ? parameter("in_proj_bias", Init.zeros(ctx.dtype(), 3 * e)) : null;
        this.outProj = child("out_proj", new Linear(e, e, c.bias(), true, ctx));
    }

    public Config config() {
        return config;
    }

    /** Self-attention for one input; query, key, value for three. */
    @Override
    protected Tensor call(Tensor[] inputs) {
        if (inputs.length == 1) {
            return attendChecked(inputs[0], inputs[0], inputs[0], null, null, false, false).output();
        }
        if (inputs.length == 3) {
            return attendChecked(inputs[0], inputs[1], inputs[2], null, null, false, false).output();
        }
        throw new ShapeException("expected 1 input (self-attention) or 3 (query, key, value), got " + inputs.length);
    }

    /**
     * Attention of {@code query} over {@code key}/{@code value}, as PyTorch's {@code forward}.
     *
     * @param keyPaddingMask nullable [N, S]: bool (true = ignore that key) or a float bias
     * @param attnMask nullable [L, S] or [N·heads, L, S]: bool (true = masked) or a float bias
     * @param causal adds the causal mask (query i sees keys j ≤ i)
     * @param needWeights also return the weights [N, L, S], averaged over the heads
     */
    public AttentionOutput attend(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, Tensor attnMask,
            boolean causal, boolean needWeights) {
        try {
            return attendChecked(query, key, value, keyPaddingMask, attnMask, causal, needWeights);
        } catch (ShapeException e) {
            throw e.inLayer(path(), kind());
        }
    }

    private AttentionOutput attendChecked(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask,
            Tensor attnMask, boolean causal, boolean needWeights) {
        long e = config.embedDim();
        String layout = config.batchFirst() ? "[N, L, " + e + "] (batch first)" : "[L, N, " + e + "] (time first)";
        requireInput("query", query, layout);
        requireInput("key", key, layout);
        requireInput("value", value, layout);
        int b = config.batchFirst() ? 0 : 1;
        int t = 1 - b;
        long n = query.size(b);
        long l = query.size(t);
        long s = key.size(t);
        if (key.size(b) != n || value.size(b) != n || value.size(t) != s) {
            throw new ShapeException("key and value must be " + (config.batchFirst() ? "[" + n + ", S, " + e + "]"
                    : "[S, " + n + ", " + e + "]") + " with one S, got query " + Shapes.str(query.shape()) + ", key "
                    + Shapes.str(key.shape()) + ", value " + Shapes.str(value.shape()));
        }
        Tensor[] qkv = project(query, key, value);
        Tensor mask = mask(keyPaddingMask, attnMask, query.dtype(), n, l, s);
        double p = isTraining() ? config.dropout() : 0;
        long seed = p > 0 ? rng.nextLong() : 0;
        Tensor[] r = AttentionF.apply(heads(qkv[0]), heads(qkv[1]), heads(qkv[2]), mask, causal, Double.NaN, p, seed,
                needWeights);
        Tensor merged = F.reshape(F.permute(r[0], config.batchFirst() ? new int[] {0, 2, 1, 3}
                : new int[] {2, 0, 1, 3}), 0, 0, e);
        Tensor out = outProj.forward(merged);
        return new AttentionOutput(out, needWeights ? F.mean(r[1], false, 1) : null);
    }

    private void requireInput(String what, Tensor x, String layout) {
        if (x == null) {
            throw new ShapeException(what + " must not be null");
        }
        if (x.rank() != 3 || x.size(2) != config.embedDim()) {
            throw new ShapeException("expected " + what + " " + layout + ", got " + Shapes.str(x.shape()));
        }
        if (x.dtype() != inProjWeight.dtype()) {
            throw new ShapeException("expected " + what + " of dtype " + inProjWeight.dtype()
                    + " (the layer's parameters), got " + x.dtype() + " " + Shapes.str(x.shape()));
        }
    }

    /** Q, K, V projections; one matmul with the stacked weight when it is self-attention, as PyTorch. */
    private Tensor[] project(Tensor query, Tensor key, Tensor value) {
        long e = config.embedDim();
        if (query == key && key == value) {
            return F.split(Linear.linear(query, inProjWeight, inProjBias), 2, e, e, e);
        }
        Tensor[] w = F.split(inProjWeight, 0, e, e, e);
        Tensor[] bias = inProjBias == null ? new Tensor[3] : F.split(inProjBias, 0, e, e, e);
        return new Tensor[] {Linear.linear(query, w[0], bias[0]), Linear.linear(key, w[1], bias[1]),
                Linear.linear(value, w[2], bias[2])};
    }

    /** [L, N, E] or [N, L, E] → [N, heads, L, E/heads]. */
    private Tensor heads(Tensor x) {
        Tensor split = F.reshape(x, 0, 0, config.numHeads(), headDim);
        return F.permute(split, config.batchFirst() ? new int[] {0, 2, 1, 3} : new int[] {1, 2, 0, 3});
    }

    /** Both masks as one, broadcastable to the scores [N, heads, L, S]; null when there is none. */
    private Tensor mask(Tensor keyPadding, Tensor attn, DataType type, long n, long l, long s) {
        Tensor kp = null;
        if (keyPadding != null) {
            if (!Arrays.equals(keyPadding.shape(), new long[] {n, s})) {
                throw new ShapeException("key_padding_mask must be [N, S] = [" + n + ", " + s + "], got "
                        + Shapes.str(keyPadding.shape()));
            }
            kp = F.reshape(keyPadding, 0, 1, 1, s);
        }
        Tensor am = null;
        if (attn != null) {
            long h = config.numHeads();
            if (Arrays.equals(attn.shape(), new long[] {l, s})) {
                am = attn;
            } else if (Arrays.equals(attn.shape(), new long[] {n * h, l, s})) {
                am = F.reshape(attn, n, h, l, s);
            } else {
                throw new ShapeException("attn_mask must be [L, S] = [" + l + ", " + s + "] or [N·heads, L, S] = ["
                        + n * h + ", " + l + ", " + s + "], got " + Shapes.str(attn.shape()));
            }
        }
        if (kp == null || am == null) {
            return kp == null ? am : kp;
        }
        return F.add(bias(kp, type), bias(am, type));
    }

    /** A bool mask (true = masked) as a 0/−∞ bias; a float one as it is. */
    private static Tensor bias(Tensor mask, DataType type) {
        if (mask.dtype() != DataType.BOOL) {
            return mask;
        }
        return F.where(mask, Tensor.scalar(Double.NEGATIVE_INFINITY, type), Tensor.scalar(0, type));
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.of(1, 1));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new MultiheadAttention(config, context);
        }
    }
}

package dev.dendrite.attention;

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

/**
 * One transformer decoder layer (Vaswani et al. 2017) as PyTorch's {@code nn.TransformerDecoderLayer}:
 *
 * <pre>
 *   post-norm:  x = norm1(x + SA(x));  x = norm2(x + MHA(x, memory));  x = norm3(x + FF(x))
 *   pre-norm:   x = x + SA(norm1(x));  x = x + MHA(norm2(x), memory);  x = x + FF(norm3(x))
 * </pre>
 *
 * each block followed by its dropout, FF(x) = linear2(dropout(act(linear1(x)))); PyTorch's state_dict names
 * ({@code self_attn.*}, {@code multihead_attn.*}, {@code linear1/2.*}, {@code norm1/2/3.*}). tgt [T, N, d] and
 * memory [S, N, d], or batch first.
 */
public final class TransformerDecoderLayer extends Module {
    public static final String ID = "transformer_decoder_layer";
    private final Config config;
    private final Rng rng;
    private final MultiheadAttention selfAttn;
    private final MultiheadAttention crossAttn;
    private final Linear linear1;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final LayerNorm norm3;

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

    public TransformerDecoderLayer(Config c, LayerContext ctx) {
        super(ID);
        TransformerBlocks.check(ID, c.dModel(), c.nhead(), c.dimFeedforward(), c.dropout(), c.activation(),
                c.layerNormEps());
        this.config = c;
        this.rng = ctx.rng();
        MultiheadAttention.Config mha = MultiheadAttention.Config.of(c.dModel(), c.nhead()).withDropout(c.dropout())
                .withBatchFirst(c.batchFirst());
        this.selfAttn = child("self_attn", new MultiheadAttention(mha, ctx));
        this.crossAttn = child("multihead_attn", new MultiheadAttention(mha, ctx));
        this.linear1 = child("linear1", new Linear(c.dModel(), c.dimFeedforward(), true, false, ctx));
        this.linear2 = child("linear2", new Linear(c.dimFeedforward(), c.dModel(), true, false, ctx));
        this.norm1 = child("norm1", new LayerNorm(c.dModel(), c.layerNormEps(), ctx));
        this.norm2 = child("norm2", new LayerNorm(c.dModel(), c.layerNormEps(), ctx));
        this.norm3 = child("norm3", new LayerNorm(c.dModel(), c.layerNormEps(), ctx));
    }

    public Config config() {
        return config;
    }

    /** forward(tgt, memory). */
    @Override
    protected Tensor call(Tensor[] inputs) {
        if (inputs.length != 2) {
            throw new ShapeException("expected 2 inputs (tgt, memory), got " + inputs.length);
        }
        return decodeChecked(inputs[0], inputs[1], null, null, null, null, false);
    }

    /**
     * @param tgtMask nullable [T, T] or [N·nhead, T, T]; @param memoryMask nullable [T, S] or [N·nhead, T, S]:
     *     bool (true = masked) or float biases
     * @param tgtKeyPaddingMask nullable [N, T]; @param memoryKeyPaddingMask nullable [N, S]
     * @param tgtCausal adds the causal mask to the self-attention
     */
    public Tensor decode(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
            Tensor memoryKeyPaddingMask, boolean tgtCausal) {
        try {
            return decodeChecked(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask,
                    tgtCausal);
        } catch (ShapeException e) {
            throw e.inLayer(path(), kind());
        }
    }

    private Tensor decodeChecked(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtPad,
            Tensor memoryPad, boolean causal) {
        long d = config.dModel();
        String layout = config.batchFirst() ? "[N, T, " + d + "] (batch first)" : "[T, N, " + d + "] (time first)";
        for (Tensor t : new Tensor[] {tgt, memory}) {
            if (t == null || t.rank() != 3 || t.size(2) != d) {
                throw new ShapeException("expected " + (t == tgt ? "tgt " : "memory ") + layout + ", got "
                        + (t == null ? "null" : Shapes.str(t.shape())));
            }
        }
        TransformerBlocks.requireDtype("tgt", tgt, norm1);
        TransformerBlocks.requireDtype("memory", memory, norm1);
        Tensor x = tgt;
        if (config.normFirst()) {
            x = F.add(x, selfBlock(norm1.forward(x), tgtMask, tgtPad, causal));
            x = F.add(x, crossBlock(norm2.forward(x), memory, memoryMask, memoryPad));
            return F.add(x, feedForward(norm3.forward(x)));
        }
        x = norm1.forward(F.add(x, selfBlock(x, tgtMask, tgtPad, causal)));
        x = norm2.forward(F.add(x, crossBlock(x, memory, memoryMask, memoryPad)));
        return norm3.forward(F.add(x, feedForward(x)));
    }

    private Tensor selfBlock(Tensor x, Tensor mask, Tensor pad, boolean causal) {
        return drop(selfAttn.attend(x, x, x, pad, mask, causal, false).output());
    }

    private Tensor crossBlock(Tensor x, Tensor memory, Tensor mask, Tensor pad) {
        return drop(crossAttn.attend(x, memory, memory, pad, mask, false, false).output());
    }

    private Tensor feedForward(Tensor x) {
        Tensor h = drop(TransformerBlocks.activation(config.activation(), linear1.forward(x)));
        return drop(linear2.forward(h));
    }

    private Tensor drop(Tensor x) {
        return TransformerBlocks.dropout(x, config.dropout(), isTraining(), rng);
    }

    public static final class Provider extends BaseProvider<Config> implements LayerProvider<Config> {
        public Provider() {
            super(ID, Config.class, Config.of(8, 2, 16));
        }

        @Override
        public Layer create(Config config, LayerContext context) {
            return new TransformerDecoderLayer(config, context);
        }
    }
}

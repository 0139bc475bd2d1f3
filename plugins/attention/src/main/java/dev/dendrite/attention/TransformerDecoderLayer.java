package dev.dendrite.attention;

import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.ops.F;
import dev.dendrite.spi.BaseProvider;
import dev.dendrite.tensor.ShapeException;
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
public final class TransformerDecoderLayer extends TransformerLayer {
    public static final String ID = "transformer_decoder_layer";

    public TransformerDecoderLayer(Config c, LayerContext ctx) {
        super(ID, c, true, ctx);
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
        requireSequence("tgt", "T", tgt);
        requireSequence("memory", "S", memory);
        Tensor x = tgt;
        if (config.normFirst()) {
            x = F.add(x, selfAttention(norms[0].forward(x), tgtMask, tgtPad, causal));
            x = F.add(x, crossAttention(norms[1].forward(x), memory, memoryMask, memoryPad));
            return F.add(x, feedForward(norms[2].forward(x)));
        }
        x = norms[0].forward(F.add(x, selfAttention(x, tgtMask, tgtPad, causal)));
        x = norms[1].forward(F.add(x, crossAttention(x, memory, memoryMask, memoryPad)));
        return norms[2].forward(F.add(x, feedForward(x)));
    }

    /** dropout(MHA(x, memory)). */
    private Tensor crossAttention(Tensor x, Tensor memory, Tensor mask, Tensor pad) {
        return drop(crossAttn.attend(x, memory, memory, pad, mask, false, false).output());
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

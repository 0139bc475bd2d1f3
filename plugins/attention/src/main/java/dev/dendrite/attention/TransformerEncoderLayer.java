package dev.dendrite.attention;

import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.ops.F;
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
public final class TransformerEncoderLayer extends TransformerLayer {
    public static final String ID = "transformer_encoder_layer";

    public TransformerEncoderLayer(Config c, LayerContext ctx) {
        super(ID, c, false, ctx);
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
        requireSequence("src", "L", src);
        Tensor x = src;
        if (config.normFirst()) {
            x = F.add(x, selfAttention(norms[0].forward(x), srcMask, keyPadding, causal));
            return F.add(x, feedForward(norms[1].forward(x)));
        }
        x = norms[0].forward(F.add(x, selfAttention(x, srcMask, keyPadding, causal)));
        return norms[1].forward(F.add(x, feedForward(x)));
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

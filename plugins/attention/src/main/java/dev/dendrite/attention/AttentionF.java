package dev.dendrite.attention;

import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;

/**
 * Attention as functions, as in {@code torch.nn.functional}: each call is one primitive, recorded for backward
 * and written as ONNX (decomposed below opset 23, the {@code Attention} op from 23 on).
 */
public final class AttentionF {
    /** Run libnd4j's dot_product_attention for the forms it covers (slower here; see the primitive's notes). */
    private static final boolean NATIVE_KERNEL = Boolean.getBoolean("dendrite.attention.nativeKernel");

    private AttentionF() {}

    /**
     * softmax(q·kᵀ·scale + mask)·v over the last two axes, as PyTorch's
     * {@code F.scaled_dot_product_attention}: q [..., Lq, d], k [..., Lk, d], v [..., Lk, dv] with equal
     * leading axes; the result is [..., Lq, dv].
     *
     * @param mask nullable: bool broadcastable to [..., Lq, Lk] with TRUE = NOT allowed (PyTorch's
     *     {@code key_padding_mask}/{@code attn_mask} convention), or a float bias of q's dtype that is added
     *     (and receives a gradient)
     * @param causal masks key j > query i (top-left aligned, as PyTorch's {@code is_causal})
     * @param scale {@code Double.NaN} means 1/√d
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal,
            double scale) {
        return apply(q, k, v, mask, causal, scale, 0, 0, false)[0];
    }

    /**
     * As {@link #scaledDotProductAttention(Tensor, Tensor, Tensor, Tensor, boolean, double)} with dropout p on the
     * attention weights (inverted; the mask drawn from {@code seed}). Call it with p = 0 in evaluation mode.
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal,
            double scale, double dropout, long seed) {
        return apply(q, k, v, mask, causal, scale, dropout, seed, false)[0];
    }

    /** As above, also returning the attention weights [..., Lq, Lk] (after dropout) as element 1. */
    public static Tensor[] scaledDotProductAttentionWithWeights(Tensor q, Tensor k, Tensor v, Tensor mask,
            boolean causal, double scale, double dropout, long seed) {
        return apply(q, k, v, mask, causal, scale, dropout, seed, true);
    }

    static Tensor[] apply(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, double scale, double dropout,
            long seed, boolean withWeights) {
        String op = ScaledDotProductAttention.NAME;
        if (q == null || k == null || v == null) {
            throw new ShapeException(op + ": q, k and v must not be null");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new ShapeException(op + ": dropout must be in [0, 1), got " + dropout);
        }
        double s = Double.isNaN(scale) ? 1.0 / Math.sqrt(Math.max(1, q.size(-1))) : scale;
        if (Double.isInfinite(s)) {
            throw new ShapeException(op + ": scale must be finite, got " + scale);
        }
        ScaledDotProductAttention f = new ScaledDotProductAttention(causal, s, dropout, seed, withWeights,
                NATIVE_KERNEL);
        return mask == null ? f.apply(q, k, v) : f.apply(q, k, v, mask);
    }
}

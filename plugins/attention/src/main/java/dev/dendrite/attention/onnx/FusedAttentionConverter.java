package dev.dendrite.attention.onnx;

import dev.dendrite.attention.AttentionF;
import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX {@code Attention} (opset 23/24) run through the plugin's one attention primitive
 * ({@link AttentionF#scaledDotProductAttention}), ahead of onnx-bridge's composed converter (priority 10 over
 * 0). It takes the common form, which is what Dendrite itself exports at opset 23 and what PyTorch's
 * {@code scaled_dot_product_attention} lowers to:
 *
 * <pre>  Y = softmax(scale·Q·Kᵀ + attn_mask (+ causal))·V</pre>
 *
 * with 3-D ([B, L, heads·D], split by {@code q_num_heads}/{@code kv_num_heads}) or 4-D ([B, H, L, D]) inputs,
 * grouped-query heads (K and V heads repeated), a bool ({@code true} = may attend, ONNX's convention) or float
 * {@code attn_mask}, possibly shorter than the keys (the rest is masked, as ONNX pads it). It declines — and
 * the composed converter runs instead — past key/value state, {@code nonpad_kv_seqlen}, {@code softcap},
 * {@code softmax_precision}, and any output beyond Y.
 */
public final class FusedAttentionConverter implements OnnxConverter {
    private static final Set<String> ATTRIBUTES = Set.of("is_causal", "kv_num_heads", "q_num_heads", "scale",
            "qk_matmul_output_mode");

    @Override
    public Set<String> opTypes() {
        return Set.of("Attention");
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean accepts(OnnxOp op, boolean[] inputPresent) {
        for (int i = 4; i < inputPresent.length; i++) {
            if (inputPresent[i]) {
                return false; // past_key, past_value, nonpad_kv_seqlen
            }
        }
        return op.opset() >= 23 && inputPresent.length >= 3 && inputPresent[0] && inputPresent[1] && inputPresent[2]
                && ATTRIBUTES.containsAll(op.attributes().keySet()) && op.attr("qk_matmul_output_mode", 0L) == 0
                && op.outputCount() <= 1;
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] in) {
        Tensor q = op.input(in, 0, "Q");
        Tensor k = op.input(in, 1, "K");
        Tensor v = op.input(in, 2, "V");
        int rank = q.rank();
        if ((rank != 3 && rank != 4) || k.rank() != rank || v.rank() != rank) {
            throw op.error("Q, K and V must all be 3-D or all 4-D, got " + Arrays.toString(q.shape()) + ", "
                    + Arrays.toString(k.shape()) + ", " + Arrays.toString(v.shape()));
        }
        if (!q.dtype().isFPType() || k.dtype() != q.dtype() || v.dtype() != q.dtype()) {
            throw op.error("Q, K and V must share one floating-point dtype, got " + q.dtype() + ", " + k.dtype()
                    + ", " + v.dtype());
        }
        Tensor q4 = q;
        Tensor k4 = k;
        Tensor v4 = v;
        if (rank == 3) {
            long hq = op.attr("q_num_heads", 0L);
            long hk = op.attr("kv_num_heads", 0L);
            if (hq <= 0 || hk <= 0 || q.size(2) % hq != 0 || k.size(2) % hk != 0 || v.size(2) % hk != 0) {
                throw op.error("3-D Q, K, V need positive q_num_heads and kv_num_heads dividing their hidden sizes, got"
                        + " q_num_heads " + hq + ", kv_num_heads " + hk + ", Q " + Arrays.toString(q.shape()) + ", K "
                        + Arrays.toString(k.shape()) + ", V " + Arrays.toString(v.shape()));
            }
            q4 = F.permute(F.reshape(q, 0, 0, hq, -1), 0, 2, 1, 3);
            k4 = F.permute(F.reshape(k, 0, 0, hk, -1), 0, 2, 1, 3);
            v4 = F.permute(F.reshape(v, 0, 0, hk, -1), 0, 2, 1, 3);
        }
        long hq = q4.size(1);
        long hk = k4.size(1);
        if (hk != v4.size(1) || hq % hk != 0) {
            throw op.error("kv heads (" + hk + " in K, " + v4.size(1) + " in V) must be equal and divide the q heads ("
                    + hq + ")");
        }
        if (hk != hq) {
            k4 = repeatHeads(k4, hq / hk);
            v4 = repeatHeads(v4, hq / hk);
        }
        Tensor mask = OnnxOp.present(in, 3) ? bias(op, in[3], q.dtype(), k4.size(2)) : null;
        double scale = op.has("scale") ? op.attr("scale", 0.0) : Double.NaN;
        Tensor y;
        try {
            y = AttentionF.scaledDotProductAttention(q4, k4, v4, mask, op.flag("is_causal", false), scale);
        } catch (dev.dendrite.tensor.ShapeException e) {
            throw op.error(e.getMessage());
        }
        if (rank == 3) {
            y = F.reshape(F.permute(y, 0, 2, 1, 3), 0, 0, -1);
        }
        return new Tensor[] {y};
    }

    /** [B, Hk, T, D] → [B, Hk·r, T, D], each kv head serving r consecutive q heads (ONNX's np.repeat). */
    private static Tensor repeatHeads(Tensor x, long r) {
        long[] s = x.shape();
        Tensor e = F.expand(F.unsqueeze(x, 2), s[0], s[1], r, s[2], s[3]);
        return F.reshape(e, s[0], s[1] * r, s[2], s[3]);
    }

    /**
     * ONNX's attn_mask as the primitive's float bias: bool true (may attend) → 0, false → −∞; a float mask as
     * it is; keys past the mask's last axis are masked (−∞), as ONNX pads a short mask.
     */
    private static Tensor bias(OnnxOp op, Tensor mask, DataType type, long keys) {
        if (mask.dtype() != DataType.BOOL && !mask.dtype().isFPType()) {
            throw op.error("attn_mask must be bool or floating point, got " + mask.dtype());
        }
        if (mask.rank() < 1 || mask.size(-1) > keys) {
            throw op.error("attn_mask " + Arrays.toString(mask.shape()) + " must have rank >= 1 and at most " + keys
                    + " entries on its last axis (the keys)");
        }
        Tensor b = mask.dtype() == DataType.BOOL
                ? F.where(mask, Tensor.scalar(0, type), Tensor.scalar(Double.NEGATIVE_INFINITY, type))
                : mask.dtype() == type ? mask : F.cast(mask, type);
        long have = mask.size(-1);
        if (have < keys) {
            long[] padShape = mask.shape();
            padShape[padShape.length - 1] = keys - have;
            b = F.concat(padShape.length - 1, b,
                    Tensor.of(Nd4j.valueArrayOf(padShape, Double.NEGATIVE_INFINITY, type)));
        }
        return b;
    }
}

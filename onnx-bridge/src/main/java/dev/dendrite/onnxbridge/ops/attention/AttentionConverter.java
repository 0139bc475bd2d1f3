package dev.dendrite.onnxbridge.ops.attention;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX {@code Attention} (opset 23; opset 24's {@code nonpad_kv_seqlen} too), composed of primitives so
 * gradients reach Q, K, V, the past state and a float mask:
 *
 * <pre>
 *   scores = (Q·√scale)(K·√scale)ᵀ → softcap (c·tanh(x/c), if c ≠ 0) → + bias → softmax → ·V
 * </pre>
 *
 * <p>The bias sums the (float, or bool as 0/−∞) {@code attn_mask}, padded with −∞ up to the total key
 * length; the causal mask, aligned bottom-right after the past keys ({@code j ≤ i + past}); and the
 * {@code nonpad_kv_seqlen} padding mask. Softcap comes before the bias, so −∞ stays −∞. A query row whose
 * bias is −∞ everywhere attends nothing: its probabilities (and so its output row) are 0, as the ONNX
 * reference defines, and no NaN reaches the gradients.
 *
 * <p>3-D inputs {@code [B, L, heads·size]} are split into heads with {@code q_num_heads}/{@code
 * kv_num_heads} and merged back. Grouped-query attention (kv heads dividing q heads, each kv head serving
 * consecutive q heads, as {@code np.repeat}) needs no copies of K and V: the q heads of a group are folded
 * into the sequence axis ({@code [B, Hk, r·S, D]}) for both matmuls.
 *
 * <p>{@code qk_matmul_output} is, by {@code qk_matmul_output_mode}: 0 the scaled Q·Kᵀ, 1 that after the
 * softcap, 2 after softcap and bias, 3 the softmax probabilities (as the ONNX function body and reference
 * define them).
 */
public final class AttentionConverter implements OnnxConverter {
    private static final Set<String> ATTRIBUTES = Set.of("is_causal", "kv_num_heads", "q_num_heads",
            "qk_matmul_output_mode", "scale", "softcap", "softmax_precision");
    private static final double NEG_INF = Double.NEGATIVE_INFINITY;

    @Override
    public Set<String> opTypes() {
        return Set.of("Attention");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] in) {
        if (op.opset() < 23) {
            throw op.error("Attention needs ai.onnx opset 23 or later");
        }
        for (String a : op.attributes().keySet()) {
            if (!ATTRIBUTES.contains(a)) {
                throw op.error("attribute '" + a + "' is not supported");
            }
        }
        if (in.length > 7) {
            throw op.error("takes at most 7 inputs, got " + in.length);
        }
        if (OnnxOp.present(in, 6) && op.opset() < 24) {
            throw op.error("input 6 (nonpad_kv_seqlen) needs opset 24, the model imports opset " + op.opset());
        }
        if (op.outputCount() > 4) {
            throw op.error("has at most 4 outputs, got " + op.outputCount());
        }
        boolean isCausal = op.flag("is_causal", false);
        long mode = op.attr("qk_matmul_output_mode", 0L);
        if (mode < 0 || mode > 3) {
            throw op.error("qk_matmul_output_mode " + mode + " is not supported (0..3)");
        }
        double softcap = op.attr("softcap", 0.0);
        if (!Double.isFinite(softcap)) {
            throw op.error("softcap must be finite, got " + softcap);
        }

        Tensor q = op.input(in, 0, "Q");
        Tensor k = op.input(in, 1, "K");
        Tensor v = op.input(in, 2, "V");
        DataType dtype = q.dtype();
        if (!dtype.isFPType()) {
            throw op.error("Q must be floating point, got " + dtype);
        }
        if (k.dtype() != dtype || v.dtype() != dtype) {
            throw op.error("Q, K and V must have one dtype, got " + dtype + ", " + k.dtype() + ", " + v.dtype());
        }
        DataType softmaxType = softmaxType(op, dtype);
        int rank = q.rank();
        if (rank != 3 && rank != 4) {
            throw op.error("Q must be 3-D or 4-D, got " + Arrays.toString(q.shape()));
        }
        if (k.rank() != rank || v.rank() != rank) {
            throw op.error("Q, K and V must have one rank, got " + Arrays.toString(q.shape()) + ", "
                    + Arrays.toString(k.shape()) + ", " + Arrays.toString(v.shape()));
        }

        // ---- shapes, all checked before any kernel runs ----
        long[] qs = q.shape();
        long[] ks = k.shape();
        long[] vs = v.shape();
        long batch = qs[0];
        long hq;
        long hk;
        long seqQ;
        long seqKv;
        long headSize;
        long vHeadSize;
        if (rank == 3) {
            if (!op.has("q_num_heads") || !op.has("kv_num_heads")) {
                throw op.error("3-D Q, K, V need the q_num_heads and kv_num_heads attributes");
            }
            hq = op.attr("q_num_heads", 0L);
            hk = op.attr("kv_num_heads", 0L);
            if (hq <= 0 || hk <= 0) {
                throw op.error("q_num_heads and kv_num_heads must be positive, got " + hq + " and " + hk);
            }
            if (qs[2] % hq != 0) {
                throw op.error("q_num_heads " + hq + " does not divide Q's hidden size " + qs[2]);
            }
            if (ks[2] % hk != 0) {
                throw op.error("kv_num_heads " + hk + " does not divide K's hidden size " + ks[2]);
            }
            if (vs[2] % hk != 0) {
                throw op.error("kv_num_heads " + hk + " does not divide V's hidden size " + vs[2]);
            }
            seqQ = qs[1];
            seqKv = ks[1];
            headSize = qs[2] / hq;
            if (ks[2] / hk != headSize) {
                throw op.error("K's head size " + ks[2] + "/" + hk + " differs from Q's " + qs[2] + "/" + hq);
            }
            vHeadSize = vs[2] / hk;
            if (ks[0] != batch || vs[0] != batch || vs[1] != seqKv) {
                throw op.error("K " + Arrays.toString(ks) + " and V " + Arrays.toString(vs)
                        + " do not match Q " + Arrays.toString(qs) + " (batch, and one kv sequence length)");
            }
        } else {
            hq = qs[1];
            hk = ks[1];
            seqQ = qs[2];
            seqKv = ks[2];
            headSize = qs[3];
            vHeadSize = vs[3];
            if (ks[0] != batch || vs[0] != batch || vs[1] != hk || vs[2] != seqKv || ks[3] != headSize) {
                throw op.error("K " + Arrays.toString(ks) + " and V " + Arrays.toString(vs) + " do not match Q "
                        + Arrays.toString(qs) + " (expected K [B, Hkv, T, D], V [B, Hkv, T, Dv])");
            }
            if (op.has("q_num_heads") && op.attr("q_num_heads", 0L) != hq
                    || op.has("kv_num_heads") && op.attr("kv_num_heads", 0L) != hk) {
                throw op.error("q_num_heads/kv_num_heads " + op.attr("q_num_heads", 0L) + "/"
                        + op.attr("kv_num_heads", 0L) + " disagree with the 4-D shapes of Q " + Arrays.toString(qs)
                        + " and K " + Arrays.toString(ks));
            }
        }
        for (long d : new long[] {batch, hq, hk, seqQ, seqKv, headSize, vHeadSize}) {
            if (d <= 0) {
                throw op.error("empty dimensions are not supported: Q " + Arrays.toString(qs) + ", K "
                        + Arrays.toString(ks) + ", V " + Arrays.toString(vs));
            }
        }
        if (hq % hk != 0) {
            throw op.error("kv heads (" + hk + ") must divide q heads (" + hq + ")");
        }
        long group = hq / hk;

        boolean hasPastK = OnnxOp.present(in, 4);
        boolean hasPastV = OnnxOp.present(in, 5);
        if (hasPastK != hasPastV) {
            throw op.error("past_key and past_value must be given together");
        }
        long past = 0;
        if (hasPastK) {
            long[] pk = in[4].shape();
            long[] pv = in[5].shape();
            if (in[4].dtype() != dtype || in[5].dtype() != dtype) {
                throw op.error("past_key and past_value must be " + dtype + ", got " + in[4].dtype() + " and "
                        + in[5].dtype());
            }
            if (pk.length != 4 || pv.length != 4 || pk[0] != batch || pk[1] != hk || pk[3] != headSize
                    || pv[0] != batch || pv[1] != hk || pv[2] != pk[2] || pv[3] != vHeadSize) {
                throw op.error("past_key " + Arrays.toString(pk) + " / past_value " + Arrays.toString(pv)
                        + " must be [" + batch + ", " + hk + ", P, " + headSize + "] / [" + batch + ", " + hk
                        + ", P, " + vHeadSize + "]");
            }
            past = pk[2];
        }
        long total = past + seqKv;
        op.checkShape(new long[] {batch, hk, total, Math.max(headSize, vHeadSize)}, "present key/value");
        op.checkShape(new long[] {batch, hq, seqQ, total}, "attention scores");
        op.checkShape(new long[] {batch, hq, seqQ, vHeadSize}, "attention output");

        Tensor mask = OnnxOp.present(in, 3) ? in[3] : null;
        if (mask != null) {
            checkMask(op, mask, new long[] {batch, hq, seqQ, total});
        }
        long[] nonpad = null;
        if (OnnxOp.present(in, 6)) {
            Tensor n = in[6];
            if (n.dtype().isFPType() || n.dtype() == DataType.BOOL || n.rank() != 1 || n.size(0) != batch) {
                throw op.error("nonpad_kv_seqlen must be an integer vector of length " + batch + ", got "
                        + n.dtype() + Arrays.toString(n.shape()));
            }
            nonpad = n.data().toLongVector();
        }
        double scale = op.has("scale") ? op.attr("scale", 0.0) : 1.0 / Math.sqrt(headSize);
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw op.error("scale must be finite and not negative, got " + scale);
        }

        // ---- heads: [B, H, L, D] ----
        Tensor q4 = rank == 3 ? F.permute(F.reshape(q, 0, 0, hq, -1), 0, 2, 1, 3) : q;
        Tensor k4 = rank == 3 ? F.permute(F.reshape(k, 0, 0, hk, -1), 0, 2, 1, 3) : k;
        Tensor v4 = rank == 3 ? F.permute(F.reshape(v, 0, 0, hk, -1), 0, 2, 1, 3) : v;
        Tensor keys = past > 0 ? F.concat(2, in[4], k4) : k4;
        Tensor values = past > 0 ? F.concat(2, in[5], v4) : v4;

        // ---- scores [B, Hq, S, T] ----
        double root = Math.sqrt(scale);
        Tensor qScaled = root == 1.0 ? q4 : F.mul(q4, root);
        Tensor kScaled = root == 1.0 ? keys : F.mul(keys, root);
        Tensor raw = F.matmul(group > 1 ? F.reshape(qScaled, 0, hk, -1, 0) : qScaled, F.transpose(kScaled));
        if (group > 1) {
            raw = F.reshape(raw, 0, hq, -1, 0);
        }
        Tensor capped = softcap != 0 ? F.mul(F.tanh(F.mul(raw, 1.0 / softcap)), softcap) : raw;
        Tensor bias = bias(op, mask, isCausal, nonpad, dtype, batch, seqQ, total, past);
        Tensor logits = bias == null ? capped : F.add(capped, bias);

        // Rows the bias masks completely: softmax would give NaN; they are 0 instead (ONNX's reference).
        Tensor dead = bias == null ? null : deadRows(bias.data());
        Tensor zero = F.scalar(q, 0);
        Tensor safe = dead == null ? logits : F.where(dead, zero, logits);
        Tensor probs = softmaxType == dtype ? F.softmax(safe, -1)
                : F.cast(F.softmax(F.cast(safe, softmaxType), -1), dtype);
        if (dead != null) {
            probs = F.where(dead, zero, probs);
        }

        Tensor y = group > 1
                ? F.reshape(F.matmul(F.reshape(probs, 0, hk, -1, 0), values), 0, hq, -1, 0)
                : F.matmul(probs, values);
        if (rank == 3) {
            y = F.reshape(F.permute(y, 0, 2, 1, 3), 0, 0, -1);
        }

        Tensor[] out = new Tensor[Math.max(1, op.outputCount())];
        out[0] = y;
        if (out.length > 1) {
            out[1] = keys;
        }
        if (out.length > 2) {
            out[2] = values;
        }
        if (out.length > 3) {
            out[3] = switch ((int) mode) {
                case 0 -> raw;
                case 1 -> capped;
                case 2 -> logits;
                default -> probs;
            };
        }
        return out;
    }

    /** The dtype softmax runs in: {@code softmax_precision} (a TensorProto type), else the input's. */
    private static DataType softmaxType(OnnxOp op, DataType dtype) {
        if (!op.has("softmax_precision")) {
            return dtype;
        }
        long p = op.attr("softmax_precision", 0L);
        return switch ((int) p) {
            case 1 -> DataType.FLOAT;
            case 10 -> DataType.HALF;
            case 11 -> DataType.DOUBLE;
            case 16 -> DataType.BFLOAT16;
            default -> throw op.error("softmax_precision " + p + " is not supported (1, 10, 11 or 16)");
        };
    }

    /** attn_mask: bool or float, rank 1..4, broadcastable to the scores once its last axis is padded. */
    private static void checkMask(OnnxOp op, Tensor mask, long[] scores) {
        DataType t = mask.dtype();
        if (t != DataType.BOOL && !t.isFPType()) {
            throw op.error("attn_mask must be bool or floating point, got " + t);
        }
        long[] m = mask.shape();
        if (m.length < 1 || m.length > 4) {
            throw op.error("attn_mask must have rank 1 to 4, got " + Arrays.toString(m));
        }
        long total = scores[3];
        if (m[m.length - 1] > total) {
            throw op.error("attn_mask " + Arrays.toString(m) + " covers more keys than the " + total
                    + " there are (past + current)");
        }
        for (int i = 0; i < m.length - 1; i++) {
            long target = scores[4 - m.length + i];
            if (m[i] != 1 && m[i] != target) {
                throw op.error("attn_mask " + Arrays.toString(m) + " does not broadcast to the scores "
                        + Arrays.toString(scores));
            }
        }
        long[] padded = m.clone();
        padded[m.length - 1] = total;
        op.checkShape(padded, "attn_mask padded to the key length");
    }

    /** The additive bias (0 or −∞, plus a float mask's values), or null when nothing masks. */
    private static Tensor bias(OnnxOp op, Tensor mask, boolean causal, long[] nonpad, DataType dtype, long batch,
            long seqQ, long total, long past) {
        Tensor zero = Tensor.scalar(0, dtype);
        Tensor negInf = Tensor.scalar(NEG_INF, dtype);
        Tensor bias = null;
        if (mask != null) {
            long[] m = mask.shape();
            long have = m[m.length - 1];
            long[] padShape = m.clone();
            padShape[m.length - 1] = total - have;
            Tensor pad = have < total ? Tensor.of(Nd4j.valueArrayOf(padShape, NEG_INF, dtype)) : null;
            if (have == 0) {
                bias = pad;
            } else {
                Tensor b = mask.dtype() == DataType.BOOL ? F.where(mask, zero, negInf)
                        : mask.dtype() == dtype ? mask : F.cast(mask, dtype);
                bias = pad == null ? b : F.concat(m.length - 1, b, pad);
            }
        }
        if (causal) {
            INDArray allowed;
            long[] j = range(total, 0);
            if (past == 0 && nonpad != null) {
                // External cache: each batch's frontier is its own valid length: j ≤ i + nonpad[b] − S.
                long[] rows = new long[Math.toIntExact(batch * seqQ)];
                for (int b = 0; b < batch; b++) {
                    for (int i = 0; i < seqQ; i++) {
                        rows[(int) (b * seqQ + i)] = i + nonpad[b] - seqQ;
                    }
                }
                allowed = compare("less_equal", vec(j, 1, 1, total), vec(rows, batch, seqQ, 1))
                        .reshape('c', new long[] {batch, 1, seqQ, total});
            } else {
                allowed = compare("less_equal", vec(j, 1, total), vec(range(seqQ, past), seqQ, 1));
            }
            bias = add(bias, F.where(Tensor.of(allowed), zero, negInf));
        }
        if (nonpad != null) {
            INDArray valid = compare("less", vec(range(total, 0), 1, total), vec(nonpad, batch, 1))
                    .reshape('c', new long[] {batch, 1, 1, total});
            bias = add(bias, F.where(Tensor.of(valid), zero, negInf));
        }
        return bias;
    }

    private static Tensor add(Tensor a, Tensor b) {
        return a == null ? b : F.add(a, b);
    }

    /** {@code start, start + 1, ...}, n values. */
    private static long[] range(long n, long start) {
        long[] r = new long[Math.toIntExact(n)];
        for (int i = 0; i < r.length; i++) {
            r[i] = start + i;
        }
        return r;
    }

    private static INDArray vec(long[] values, long... shape) {
        return Nd4j.createFromArray(values).reshape('c', shape);
    }

    /** A broadcasting comparison into a fresh BOOL array. */
    private static INDArray compare(String kernel, INDArray a, INDArray b) {
        long[] shape = dev.dendrite.tensor.Shapes.broadcast(kernel, a.shape(), b.shape());
        INDArray out = Kernels.empty(DataType.BOOL, shape);
        return Kernels.exec(kernel, out, a, b);
    }

    /** BOOL [..., S, 1]: rows of the bias that are −∞ everywhere; null when there are none. */
    private static Tensor deadRows(INDArray bias) {
        INDArray rowMax = bias.max(true, bias.rank() - 1);
        if (rowMax.minNumber().doubleValue() != NEG_INF) {
            return null;
        }
        return Tensor.of(compare("equals", rowMax, Nd4j.scalar(rowMax.dataType(), NEG_INF)));
    }
}

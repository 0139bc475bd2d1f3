package dev.dendrite.attention;

import dev.dendrite.onnx.OnnxBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How scaled dot-product attention writes itself as ONNX. Below opset 23 it is decomposed into opset-13/17
 * nodes: Transpose, MatMul, Mul (scale), Where + Add (bool mask as 0/−∞) or Add (float bias), Add (causal
 * constant), Softmax (with ReduceMax, Equal and Where around it when masked: a fully masked row gives 0, as
 * here), MatMul. From opset 23 on, rank-3
 * and rank-4 inputs become one {@code Attention} node ({@code scale}, {@code is_causal}, {@code attn_mask};
 * a bool mask goes in as its 0/−∞ bias: ONNX's bool mask means "may attend", the opposite of PyTorch's). A request for the weights
 * output stays decomposed: ORT's {@code qk_matmul_output} is not needed to export a model.
 */
record AttentionOnnx(DataType type, int rank, long lq, long lk, boolean causal, double scale, long[] maskShape,
        boolean boolMask, boolean withWeights) {

    private boolean hasMask() {
        return maskShape != null;
    }


    void write(OnnxBuilder onnx, String[] in, String[] out) {
        if (onnx.opset() >= 23 && (rank == 3 || rank == 4) && !withWeights) {
            writeAttentionOp(onnx, in, out);
        } else {
            writeDecomposed(onnx, in, out);
        }
    }

    private void writeAttentionOp(OnnxBuilder onnx, String[] in, String[] out) {
        String[] inputs = hasMask() ? new String[4] : new String[3];
        System.arraycopy(in, 0, inputs, 0, 3);
        if (hasMask()) {
            String mask = in[3];
            if (boolMask) {
                mask = boolBias(onnx, mask);
            }
            int maskRank = maskShape.length;
            if (maskRank < 2 || maskShape[maskRank - 2] != lq) {
                // ONNX Runtime 1.29 wants the mask's query axis spelled out (no broadcasting along it).
                String full = onnx.fresh("/attention_mask_rows");
                onnx.node("Expand", new String[] {mask, onnx.int64s(lq, lk)}, new String[] {full});
                mask = full;
                maskRank = Math.max(2, maskRank);
            }
            if (rank == 3 && maskRank == 3) {
                // 3-D inputs are [B, L, heads·d]: ONNX broadcasts the mask against [B, heads, Lq, Lk].
                String m4 = onnx.fresh("/attention_mask4");
                onnx.node("Unsqueeze", new String[] {mask, onnx.int64s(1)}, new String[] {m4});
                mask = m4;
            }
            inputs[3] = mask;
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("is_causal", causal ? 1L : 0L);
        attrs.put("scale", scale);
        if (rank == 3) {
            attrs.put("q_num_heads", 1L);
            attrs.put("kv_num_heads", 1L);
        }
        onnx.node("Attention", inputs, new String[] {out[0]}, attrs);
    }

    /** PyTorch's bool mask (true = masked) as the additive bias 0/−∞, in nodes every importer runs. */
    private String boolBias(OnnxBuilder onnx, String mask) {
        String bias = onnx.fresh("/attention_mask_bias");
        onnx.node("Where", new String[] {mask, onnx.constant(Nd4j.scalar(type, Double.NEGATIVE_INFINITY)), zero(onnx)},
                new String[] {bias});
        return bias;
    }

    private String zero(OnnxBuilder onnx) {
        return onnx.constant(Nd4j.scalar(type, 0.0));
    }

    /** BOOL [..., Lq, 1]: rows of the masked scores that are −∞ everywhere (ReduceMax took axes as an input from 18). */
    private String deadRows(OnnxBuilder onnx, String scores) {
        String max = onnx.fresh("/attention_row_max");
        if (onnx.opset() >= 18) {
            onnx.node("ReduceMax", new String[] {scores, onnx.int64s(rank - 1)}, new String[] {max},
                    Map.of("keepdims", 1L));
        } else {
            onnx.node("ReduceMax", new String[] {scores}, new String[] {max},
                    Map.of("axes", new long[] {rank - 1}, "keepdims", 1L));
        }
        String dead = onnx.fresh("/attention_dead");
        onnx.node("Equal", new String[] {max, onnx.constant(Nd4j.scalar(type, Double.NEGATIVE_INFINITY))},
                new String[] {dead});
        return dead;
    }

    private void writeDecomposed(OnnxBuilder onnx, String[] in, String[] out) {
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 2] = rank - 1;
        perm[rank - 1] = rank - 2;
        String kt = onnx.fresh("/attention_kT");
        onnx.node("Transpose", new String[] {in[1]}, new String[] {kt}, Map.of("perm", perm));
        String s = onnx.fresh("/attention_qk");
        onnx.node("MatMul", new String[] {in[0], kt}, new String[] {s});
        String scaled = onnx.fresh("/attention_scaled");
        onnx.node("Mul", new String[] {s, onnx.constant(Nd4j.scalar(type, scale))}, new String[] {scaled});
        s = scaled;
        if (hasMask()) {
            String bias = boolMask ? boolBias(onnx, in[3]) : in[3];
            String masked = onnx.fresh("/attention_masked");
            onnx.node("Add", new String[] {s, bias}, new String[] {masked});
            s = masked;
        }
        if (causal) {
            String masked = onnx.fresh("/attention_causal");
            onnx.node("Add", new String[] {s, onnx.constant(Nd.causal(type, lq, lk))}, new String[] {masked});
            s = masked;
        }
        String p = withWeights && !hasMask() ? out[1] : onnx.fresh("/attention_softmax");
        if (hasMask()) {
            // A row masked everywhere would be NaN: it is 0, as in the primitive (and ONNX's own Attention).
            String dead = deadRows(onnx, s);
            String safe = onnx.fresh("/attention_safe");
            onnx.node("Where", new String[] {dead, zero(onnx), s}, new String[] {safe});
            String raw = onnx.fresh("/attention_softmax_raw");
            onnx.node("Softmax", new String[] {safe}, new String[] {raw}, Map.of("axis", (long) rank - 1));
            onnx.node("Where", new String[] {dead, zero(onnx), raw}, new String[] {p});
        } else {
            onnx.node("Softmax", new String[] {s}, new String[] {p}, Map.of("axis", (long) rank - 1));
        }
        if (withWeights && hasMask()) {
            onnx.node("Identity", new String[] {p}, new String[] {out[1]});
        }
        onnx.node("MatMul", new String[] {p, in[2]}, new String[] {out[0]});
    }
}

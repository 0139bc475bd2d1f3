package dev.dendrite.attention.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.nn.Init;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.onnxbridge.ops.attention.AttentionConverter;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused Attention converter against onnx-bridge's composed one (the ONNX function body, op by op): same
 * outputs and same gradients of Q, K, V on the forms it accepts; and it declines the others.
 */
class FusedAttentionConverterTest {
    private final FusedAttentionConverter fused = new FusedAttentionConverter();

    private static OnnxOp op(int opset, Map<String, Object> attrs, int outputs) {
        return new OnnxOp("Attention", "", "attn", opset, attrs, outputs, false);
    }

    private static Tensor leaf(long seed, long... shape) {
        return Tensor.leaf(Init.normal(new Rng(seed), DataType.DOUBLE, 0, 1, shape));
    }

    /** Output and q/k/v gradients of both converters on one node; returns the worst difference. */
    private static double compare(String label, OnnxOp node, Tensor... in) {
        Tensor q = in[0];
        Tensor k = in[1];
        Tensor v = in[2];
        INDArray r = Init.normal(new Rng(5), DataType.DOUBLE, 0, 1, new AttentionConverter().convert(node, in)[0]
                .shape());
        INDArray[][] g = new INDArray[2][];
        INDArray[] y = new INDArray[2];
        int i = 0;
        for (var c : new dev.dendrite.onnx.OnnxConverter[] {new FusedAttentionConverter(), new AttentionConverter()}) {
            q.zeroGrad();
            k.zeroGrad();
            v.zeroGrad();
            Tensor out = c.convert(node, in)[0];
            F.sum(F.mul(out, Tensor.of(r)), false).backward();
            y[i] = out.data();
            g[i++] = new INDArray[] {q.grad(), k.grad(), v.grad()};
        }
        double worst = Compare.maxAbsDiff(label + " output", y[0], y[1]);
        for (int j = 0; j < 3; j++) {
            worst = Math.max(worst, Compare.maxAbsDiff(label + " gradient of " + "qkv".charAt(j), g[0][j], g[1][j]));
        }
        System.out.printf("%s: fused vs composed converter, output and gradients within %.2e%n", label, worst);
        assertTrue(worst < 1e-12, label + ": " + worst);
        return worst;
    }

    @Test
    void agreesWithTheComposedConverter() {
        compare("4-D, no mask", op(23, Map.of(), 1), leaf(1, 2, 3, 4, 5), leaf(2, 2, 3, 6, 5), leaf(3, 2, 3, 6, 2));
        compare("4-D causal, Lq != Lk, scale", op(23, Map.of("is_causal", 1L, "scale", 0.3), 1), leaf(1, 2, 3, 4, 5),
                leaf(2, 2, 3, 6, 5), leaf(3, 2, 3, 6, 2));
        Tensor shortBool = Tensor.of(Nd4j.createFromArray(new boolean[] {true, true, false, true, true, true, true, true,
                true, true}).reshape(2, 1, 1, 5));
        compare("4-D bool mask shorter than the keys", op(23, Map.of(), 1), leaf(1, 2, 3, 4, 5), leaf(2, 2, 3, 6, 5),
                leaf(3, 2, 3, 6, 2), shortBool);
        Tensor bias = leaf(4, 4, 6);
        compare("3-D grouped-query heads, float mask", op(23, Map.of("q_num_heads", 4L, "kv_num_heads", 2L), 1),
                leaf(1, 2, 4, 12), leaf(2, 2, 6, 6), leaf(3, 2, 6, 4), Tensor.of(bias.data()));
    }

    @Test
    void declinesWhatItDoesNotCover() {
        boolean[] qkv = {true, true, true};
        assertTrue(fused.accepts(op(23, Map.of("is_causal", 1L), 1), qkv));
        assertTrue(fused.accepts(op(24, Map.of(), 1), new boolean[] {true, true, true, true, false, false, false}));
        assertFalse(fused.accepts(op(23, Map.of(), 1), new boolean[] {true, true, true, false, true, true}),
                "past key/value");
        assertFalse(fused.accepts(op(24, Map.of(), 1), new boolean[] {true, true, true, false, false, false, true}),
                "nonpad_kv_seqlen");
        assertFalse(fused.accepts(op(23, Map.of("softcap", 30.0), 1), qkv), "softcap");
        assertFalse(fused.accepts(op(23, Map.of("softmax_precision", 1L), 1), qkv), "softmax_precision");
        assertFalse(fused.accepts(op(23, Map.of(), 4), qkv), "qk_matmul_output requested");
        assertFalse(fused.accepts(op(23, Map.of("qk_matmul_output_mode", 3L), 1), qkv), "qk mode");
        Map<String, Object> none = new HashMap<>();
        assertFalse(fused.accepts(op(22, none, 1), qkv), "opset 22 has no Attention");
    }
}

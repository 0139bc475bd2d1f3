package dev.dendrite.onnxbridge.ops.rnn;

import static dev.dendrite.onnxbridge.ops.rnn.OneNode.normal;

import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.GradCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gradient checks (float64 finite differences) of imported LSTM, GRU and RNN nodes: the unrolled graph
 * carries gradients to X, W, R, B, the initial states and the peepholes, through sequence masking.
 */
class RecurrentGradTest {
    private static final DataType D = DataType.DOUBLE;
    private static final long T = 3;
    private static final long N = 2;
    private static final long I = 3;
    private static final long H = 2;

    @Test
    void bidirectionalLstmWithPeepholesAndSequenceLengths() {
        INDArray lens = Nd4j.createFromArray(3, 2);
        Object[] in = {"X", normal(1, D, 1, T, N, I), "W", normal(2, D, 0.5, 2, 4 * H, I),
            "R", normal(3, D, 0.5, 2, 4 * H, H), "B", normal(4, D, 0.5, 2, 8 * H), "sequence_lens", lens,
            "initial_h", normal(5, D, 0.5, 2, N, H), "initial_c", normal(6, D, 0.5, 2, N, H),
            "P", normal(7, D, 0.5, 2, 3 * H)};
        check("lstm", Map.of("hidden_size", H, "direction", "bidirectional"), new String[] {"Y", "Y_h", "Y_c"}, in);
    }

    @Test
    void lstmWithClipAndCoupledInputForgetGates() {
        Object[] in = {"X", normal(11, D, 1, T, N, I), "W", normal(12, D, 0.5, 1, 4 * H, I),
            "R", normal(13, D, 0.5, 1, 4 * H, H), "B", normal(14, D, 0.5, 1, 8 * H)};
        check("lstm input_forget", Map.of("hidden_size", H, "input_forget", 1L, "clip", 5.0, "direction", "reverse"),
                new String[] {"Y", "", "Y_c"}, in);
    }

    @Test
    void gruResetBeforeLinear() {
        Object[] in = {"X", normal(21, D, 1, T, N, I), "W", normal(22, D, 0.5, 1, 3 * H, I),
            "R", normal(23, D, 0.5, 1, 3 * H, H), "B", normal(24, D, 0.5, 1, 6 * H), "sequence_lens",
            Nd4j.createFromArray(1, 3), "initial_h", normal(25, D, 0.5, 1, N, H)};
        check("gru", Map.of("hidden_size", H), new String[] {"Y", "Y_h"}, in);
    }

    @Test
    void bidirectionalGruLinearBeforeResetBatchFirst() {
        Object[] in = {"X", normal(31, D, 1, N, T, I), "W", normal(32, D, 0.5, 2, 3 * H, I),
            "R", normal(33, D, 0.5, 2, 3 * H, H), "B", normal(34, D, 0.5, 2, 6 * H), "sequence_lens", null,
            "initial_h", normal(35, D, 0.5, N, 2, H)};
        check("gru lbr", Map.of("hidden_size", H, "linear_before_reset", 1L, "layout", 1L,
                "direction", "bidirectional"), new String[] {"Y", "Y_h"}, in);
    }

    @Test
    void reverseRnn() {
        Object[] in = {"X", normal(41, D, 1, T, N, I), "W", normal(42, D, 0.5, 1, H, I),
            "R", normal(43, D, 0.5, 1, H, H), "B", normal(44, D, 0.5, 1, 2 * H)};
        check("rnn", Map.of("direction", "reverse"), new String[] {"Y", "Y_h"}, in);
    }

    /** Checks d(all outputs)/d(every float input) of the one-node model. */
    private static void check(String label, Map<String, Object> attrs, String[] outputs, Object[] in) {
        String op = label.startsWith("lstm") ? "LSTM" : label.startsWith("gru") ? "GRU" : "RNN";
        ImportedModel model = OneNode.load(OneNode.model(op, 22, attrs, outputs, in));
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        Tensor[] feed = new Tensor[model.inputs().size()];
        int k = 0;
        for (int i = 0; i < in.length; i += 2) {
            INDArray a = (INDArray) in[i + 1];
            if (a != null) {
                feed[k] = a.dataType().isFPType() ? Tensor.leaf(a) : Tensor.of(a);
                if (a.dataType().isFPType()) {
                    leaves.put((String) in[i], feed[k]);
                }
                k++;
            }
        }
        GradCheck.Result r = GradCheck.check(label, leaves, () -> {
            Tensor[] out = model.run(feed);
            Tensor[] flat = new Tensor[out.length];
            for (int j = 0; j < out.length; j++) {
                flat[j] = F.reshape(out[j], -1);
            }
            return F.concat(0, flat);
        });
        org.junit.jupiter.api.Assertions.assertTrue(r.worst() <= 1e-6, label + ": " + r);
    }
}

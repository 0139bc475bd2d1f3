package dev.dendrite.onnxbridge.ops.rnn;

import static dev.dendrite.onnxbridge.ops.rnn.OneNode.normal;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.testkit.GradCheck;
import java.util.Arrays;
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
        // Pre-activations here spread over about ±2.6: with clip 0.7, 20 of the 36 are clamped, so the check
        // covers both sides of the clip (the clamped side has zero gradient). None lies within 0.01 of ±clip,
        // where finite differences (step 1e-6) would straddle the kink.
        double clip = 0.7;
        INDArray x = normal(11, D, 1, T, N, I);
        INDArray w = normal(12, D, 0.5, 1, 4 * H, I);
        INDArray r = normal(13, D, 0.5, 1, 4 * H, H);
        INDArray b = normal(14, D, 0.5, 1, 8 * H);
        double[] pre = coupledReverseLstmPreActivations(x, w, r, b, clip);
        long clamped = Arrays.stream(pre).filter(v -> Math.abs(v) > clip).count();
        double nearest = Arrays.stream(pre).map(v -> Math.abs(Math.abs(v) - clip)).min().orElseThrow();
        assertTrue(clamped >= pre.length / 4 && clamped <= 3 * pre.length / 4,
                clamped + " of " + pre.length + " pre-activations beyond the clip");
        assertTrue(nearest > 0.01, "a pre-activation " + nearest + " from the kink");
        Object[] in = {"X", x, "W", w, "R", r, "B", b};
        check("lstm input_forget", Map.of("hidden_size", H, "input_forget", 1L, "clip", clip, "direction", "reverse"),
                new String[] {"Y", "", "Y_c"}, in);
    }

    /**
     * The gate pre-activations (i, o and c; f = 1 − i has none of its own) of a reverse, coupled, clipped LSTM
     * written out in plain Java, after checking that this reference computes the imported node's Y.
     */
    private static double[] coupledReverseLstmPreActivations(INDArray x, INDArray w, INDArray r, INDArray b,
            double clip) {
        double[] pre = new double[(int) (T * N * 3 * H)];
        int k = 0;
        double[][] h = new double[(int) N][(int) H];
        double[][] c = new double[(int) N][(int) H];
        INDArray y = Nd4j.zeros(D, T, 1, N, H);
        for (long t = T - 1; t >= 0; t--) {
            double[][] hNext = new double[(int) N][(int) H];
            for (int n = 0; n < N; n++) {
                double[][] gate = new double[4][(int) H]; // ONNX order i, o, f, c
                for (int g = 0; g < 4; g++) {
                    for (int j = 0; j < H; j++) {
                        int row = (int) (g * H + j);
                        double v = b.getDouble(0, row) + b.getDouble(0, 4 * H + row);
                        for (int m = 0; m < I; m++) {
                            v += x.getDouble(t, n, m) * w.getDouble(0, row, m);
                        }
                        for (int m = 0; m < H; m++) {
                            v += h[n][m] * r.getDouble(0, row, m);
                        }
                        if (g != 2) {
                            pre[k++] = v;
                        }
                        gate[g][j] = Math.max(-clip, Math.min(clip, v));
                    }
                }
                for (int j = 0; j < H; j++) {
                    double i = 1 / (1 + Math.exp(-gate[0][j]));
                    double o = 1 / (1 + Math.exp(-gate[1][j]));
                    c[n][j] = (1 - i) * c[n][j] + i * Math.tanh(gate[3][j]);
                    hNext[n][j] = o * Math.tanh(c[n][j]);
                    y.putScalar(new long[] {t, 0, n, j}, hNext[n][j]);
                }
            }
            h = hNext;
        }
        ImportedModel model = OneNode.load(OneNode.model("LSTM", 22, Map.of("hidden_size", H, "input_forget", 1L,
                "clip", clip, "direction", "reverse"), new String[] {"Y"}, "X", x, "W", w, "R", r, "B", b));
        INDArray imported;
        try (var off = GradMode.off()) {
            imported = model.run(OneNode.feed(false, x, w, r, b))[0].data();
        }
        // Observed difference about 2e-9 in float64 (the kernels' exp/tanh are not java.lang.Math's); a wrong gate
        // order, coupling or clip would differ by 1e-2 or more.
        Compare.assertClose("plain-Java LSTM vs the imported node", imported, y, 1e-7);
        return pre;
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
        assertTrue(r.worst() <= 1e-6, label + ": " + r);
    }
}

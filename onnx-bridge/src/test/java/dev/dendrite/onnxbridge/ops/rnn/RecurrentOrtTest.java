package dev.dendrite.onnxbridge.ops.rnn;

import static dev.dendrite.onnxbridge.ops.rnn.OneNode.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The recurrent converters against ONNX Runtime on the attributes the node tests leave out. */
class RecurrentOrtTest {
    private static final DataType FL = DataType.FLOAT;
    private static final long T = 4;
    private static final long N = 3;
    private static final long I = 2;
    private static final long H = 3;

    @Test
    void bidirectionalLstmWithEverything() {
        agree("LSTM", Map.of("hidden_size", H, "direction", "bidirectional"), new String[] {"Y", "Y_h", "Y_c"},
                "X", normal(1, FL, 1, T, N, I), "W", normal(2, FL, 0.6, 2, 4 * H, I), "R",
                normal(3, FL, 0.6, 2, 4 * H, H), "B", normal(4, FL, 0.5, 2, 8 * H), "sequence_lens",
                Nd4j.createFromArray(4, 1, 2), "initial_h", normal(5, FL, 0.5, 2, N, H), "initial_c",
                normal(6, FL, 0.5, 2, N, H), "P", normal(7, FL, 0.5, 2, 3 * H));
    }

    @Test
    void lstmClipInputForgetAndActivations() {
        agree("LSTM", Map.of("hidden_size", H, "direction", "reverse", "clip", 0.7, "input_forget", 1L,
                "activations", new String[] {"HardSigmoid", "LeakyRelu", "Tanh"}, "activation_alpha",
                new double[] {0.3, 0.2}, "activation_beta", new double[] {0.4}), new String[] {"Y", "Y_h", "Y_c"},
                "X", normal(11, FL, 2, T, N, I), "W", normal(12, FL, 0.8, 1, 4 * H, I), "R",
                normal(13, FL, 0.8, 1, 4 * H, H), "B", normal(14, FL, 0.5, 1, 8 * H));
    }

    @Test
    void gruBothResetOrdersAndDirections() {
        for (long lbr = 0; lbr <= 1; lbr++) {
            for (String dir : new String[] {"forward", "reverse", "bidirectional"}) {
                long d = dir.equals("bidirectional") ? 2 : 1;
                agree("GRU", Map.of("hidden_size", H, "direction", dir, "linear_before_reset", lbr),
                        new String[] {"Y", "Y_h"}, "X", normal(21, FL, 1, T, N, I), "W",
                        normal(22, FL, 0.6, d, 3 * H, I), "R", normal(23, FL, 0.6, d, 3 * H, H), "B",
                        normal(24, FL, 0.5, d, 6 * H), "sequence_lens", Nd4j.createFromArray(2, 4, 3),
                        "initial_h", normal(25, FL, 0.5, d, N, H));
            }
        }
    }

    @Test
    void rnnReluBidirectionalWithoutBias() {
        agree("RNN", Map.of("hidden_size", H, "direction", "bidirectional", "activations",
                new String[] {"Relu", "Sigmoid"}), new String[] {"Y", "Y_h"}, "X", normal(31, FL, 1, T, N, I),
                "W", normal(32, FL, 0.6, 2, H, I), "R", normal(33, FL, 0.6, 2, H, H), "B", null, "sequence_lens",
                Nd4j.createFromArray(3, 0, 4));
    }

    @Test
    void batchFirstLayoutIsTheTransposedSequenceFirstLayout() {
        INDArray x = normal(41, FL, 1, T, N, I);
        INDArray w = normal(42, FL, 0.6, 2, 4 * H, I);
        INDArray r = normal(43, FL, 0.6, 2, 4 * H, H);
        INDArray h0 = normal(44, FL, 0.5, 2, N, H);
        String[] outs = {"Y", "Y_h", "Y_c"};
        Map<String, Object> a0 = Map.of("direction", "bidirectional");
        Map<String, Object> a1 = Map.of("direction", "bidirectional", "layout", 1L);
        INDArray[] seqFirst = ours(OneNode.model("LSTM", 22, a0, outs, "X", x, "W", w, "R", r, "B", null,
                "sequence_lens", null, "initial_h", h0), x, w, r, h0);
        INDArray xb = x.permute(1, 0, 2).dup();
        INDArray hb = h0.permute(1, 0, 2).dup();
        INDArray[] batchFirst = ours(OneNode.model("LSTM", 22, a1, outs, "X", xb, "W", w, "R", r, "B", null,
                "sequence_lens", null, "initial_h", hb), xb, w, r, hb);
        close(seqFirst[0].permute(2, 0, 1, 3), batchFirst[0]);
        close(seqFirst[1].permute(1, 0, 2), batchFirst[1]);
        close(seqFirst[2].permute(1, 0, 2), batchFirst[2]);
    }

    private static void agree(String op, Map<String, Object> attrs, String[] outputs, Object... in) {
        ModelProto m = OneNode.model(op, 22, attrs, outputs, in);
        List<INDArray> arrays = new ArrayList<>();
        for (int i = 1; i < in.length; i += 2) {
            if (in[i] != null) {
                arrays.add((INDArray) in[i]);
            }
        }
        INDArray[] feed = arrays.toArray(INDArray[]::new);
        INDArray[] expected;
        try (OrtRunner ort = new OrtRunner(m)) {
            expected = ort.run(feed);
        }
        INDArray[] actual = ours(m, feed);
        assertEquals(expected.length, actual.length);
        for (int j = 0; j < expected.length; j++) {
            close(expected[j], actual[j]);
        }
    }

    private static INDArray[] ours(ModelProto m, INDArray... feed) {
        ImportedModel model = OneNode.load(m);
        try (var off = GradMode.off()) {
            Tensor[] out = model.run(OneNode.feed(false, feed));
            INDArray[] a = new INDArray[out.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = out[i].data();
            }
            return a;
        }
    }

    /** Within 1e-5 + 1e-4·|expected| element by element, after Compare's shape and finiteness checks. */
    private static void close(INDArray expected, INDArray actual) {
        Compare.maxAbsDiff("recurrent output", actual, expected);
        double[] e = expected.dup('c').reshape(new long[] {expected.length()}).toDoubleVector();
        double[] a = actual.dup('c').reshape(new long[] {actual.length()}).toDoubleVector();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-5 + 1e-4 * Math.abs(e[i]), "element " + i);
        }
    }
}

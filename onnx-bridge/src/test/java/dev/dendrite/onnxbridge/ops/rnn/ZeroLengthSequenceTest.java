package dev.dendrite.onnxbridge.ops.rnn;

import static dev.dendrite.onnxbridge.ops.rnn.OneNode.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A batch entry with sequence_lens 0 and a given initial state: ONNX Runtime returns zeros for its Y_h (and Y_c),
 * not the initial state, in every direction; the composed converters must agree, and the initial state of that
 * entry then gets no gradient through the final states. Both layouts: ONNX Runtime's CPU kernels refuse
 * layout = 1, so for the batch-first layout the reference is ONNX Runtime's sequence-first run on the same
 * numbers, transposed (Y [T, d, N, H] becomes [N, T, d, H]; Y_h and Y_c [d, N, H] become [N, d, H]).
 */
class ZeroLengthSequenceTest {
    static final long T = 3;
    static final long N = 3;
    static final long I = 2;
    static final long H = 4;

    @ParameterizedTest
    @CsvSource({"LSTM,4,forward,0", "LSTM,4,bidirectional,0", "GRU,3,reverse,0", "GRU,3,bidirectional,0",
        "RNN,1,forward,0", "RNN,1,bidirectional,0", "LSTM,4,forward,1", "LSTM,4,bidirectional,1",
        "GRU,3,reverse,1", "GRU,3,bidirectional,1", "RNN,1,forward,1", "RNN,1,bidirectional,1"})
    void zeroLengthEntriesEndInZeroStatesLikeOnnxRuntime(String op, long gates, String direction, long layout) {
        long d = direction.equals("bidirectional") ? 2 : 1;
        boolean lstm = op.equals("LSTM");
        INDArray x = normal(1, DataType.FLOAT, 1, T, N, I);
        INDArray w = normal(2, DataType.FLOAT, 0.6, d, gates * H, I);
        INDArray r = normal(3, DataType.FLOAT, 0.6, d, gates * H, H);
        INDArray b = normal(4, DataType.FLOAT, 0.5, d, 2 * gates * H);
        INDArray lens = Nd4j.createFromArray(3, 0, 2);
        INDArray h0 = normal(5, DataType.FLOAT, 0.8, d, N, H);
        INDArray c0 = normal(6, DataType.FLOAT, 0.8, d, N, H);
        String[] outs = lstm ? new String[] {"Y", "Y_h", "Y_c"} : new String[] {"Y", "Y_h"};
        INDArray[] expected;
        try (OrtRunner ort = new OrtRunner(model(op, direction, 0, outs, x, w, r, b, lens, h0, c0), 1)) {
            expected = ort.run(feed(lstm, x, w, r, b, lens, h0, c0));
        }
        if (layout == 1) {
            x = x.permute(1, 0, 2).dup();
            h0 = h0.permute(1, 0, 2).dup();
            c0 = c0.permute(1, 0, 2).dup();
            expected[0] = expected[0].permute(2, 0, 1, 3).dup();
            for (int j = 1; j < expected.length; j++) {
                expected[j] = expected[j].permute(1, 0, 2).dup();
            }
        }
        ImportedModel model = OneNode.load(model(op, direction, layout, outs, x, w, r, b, lens, h0, c0));
        Tensor[] in = OneNode.feed(true, feed(lstm, x, w, r, b, lens, h0, c0));
        Tensor[] y = model.run(in);
        for (int j = 0; j < outs.length; j++) {
            Compare.assertClose(op + " " + direction + " layout " + layout + " " + outs[j] + " vs ONNX Runtime",
                    y[j].data(), expected[j], 1e-5);
        }
        // The zero-length entry's final state does not depend on its initial state; the others' do.
        F.sum(y[1], false).backward();
        INDArray g = in[5].grad();
        int batchAxis = layout == 0 ? 1 : 0;
        for (long n = 0; n < N; n++) {
            double most = Compare.maxAbs("gradient of initial_h, entry " + n, entry(g, batchAxis, n));
            if (n == 1) {
                assertEquals(0.0, most, "gradient of initial_h for the empty sequence");
            } else {
                assertTrue(most > 0, "gradient of initial_h for entry " + n + " (length " + lens.getLong(n) + ")");
            }
        }
    }

    private static INDArray entry(INDArray g, int batchAxis, long n) {
        return batchAxis == 1 ? g.get(NDArrayIndex.all(), NDArrayIndex.point(n)) : g.get(NDArrayIndex.point(n));
    }

    private static ModelProto model(String op, String direction, long layout, String[] outs, INDArray x, INDArray w,
            INDArray r, INDArray b, INDArray lens, INDArray h0, INDArray c0) {
        Map<String, Object> attrs = Map.of("hidden_size", H, "direction", direction, "layout", layout);
        return op.equals("LSTM")
                ? OneNode.model(op, 14, attrs, outs, "X", x, "W", w, "R", r, "B", b, "sequence_lens", lens,
                        "initial_h", h0, "initial_c", c0)
                : OneNode.model(op, 14, attrs, outs, "X", x, "W", w, "R", r, "B", b, "sequence_lens", lens,
                        "initial_h", h0);
    }

    private static INDArray[] feed(boolean lstm, INDArray x, INDArray w, INDArray r, INDArray b, INDArray lens,
            INDArray h0, INDArray c0) {
        return lstm ? new INDArray[] {x, w, r, b, lens, h0, c0} : new INDArray[] {x, w, r, b, lens, h0};
    }
}

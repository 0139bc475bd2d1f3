package dev.dendrite.onnxbridge.ops.rnn;

import static dev.dendrite.onnxbridge.ops.rnn.OneNode.normal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch entry with sequence_lens 0 and a given initial state: ONNX Runtime returns zeros for its Y_h (and Y_c),
 * not the initial state, in every direction; the composed converters must agree, and the initial state of that
 * entry then gets no gradient through the final states. (ONNX Runtime's CPU kernels refuse layout = 1, so the
 * batch-first layout, which the converters permute to this one, is not compared here.)
 */
class ZeroLengthSequenceTest {
    static final long T = 3;
    static final long N = 3;
    static final long I = 2;
    static final long H = 4;

    @ParameterizedTest
    @CsvSource({"LSTM,4,forward,0", "LSTM,4,bidirectional,0", "GRU,3,reverse,0", "GRU,3,bidirectional,0",
        "RNN,1,forward,0", "RNN,1,bidirectional,0"})
    void zeroLengthEntriesEndInZeroStatesLikeOnnxRuntime(String op, long gates, String direction, long layout) {
        long d = direction.equals("bidirectional") ? 2 : 1;
        boolean lstm = op.equals("LSTM");
        long[] stateShape = layout == 0 ? new long[] {d, N, H} : new long[] {N, d, H};
        long[] xShape = layout == 0 ? new long[] {T, N, I} : new long[] {N, T, I};
        INDArray x = normal(1, DataType.FLOAT, 1, xShape);
        INDArray w = normal(2, DataType.FLOAT, 0.6, d, gates * H, I);
        INDArray r = normal(3, DataType.FLOAT, 0.6, d, gates * H, H);
        INDArray b = normal(4, DataType.FLOAT, 0.5, d, 2 * gates * H);
        INDArray lens = Nd4j.createFromArray(3, 0, 2);
        INDArray h0 = normal(5, DataType.FLOAT, 0.8, stateShape);
        INDArray c0 = normal(6, DataType.FLOAT, 0.8, stateShape);
        String[] outs = lstm ? new String[] {"Y", "Y_h", "Y_c"} : new String[] {"Y", "Y_h"};
        Map<String, Object> attrs = Map.of("hidden_size", H, "direction", direction, "layout", layout);
        ModelProto m = lstm
                ? OneNode.model(op, 14, attrs, outs, "X", x, "W", w, "R", r, "B", b, "sequence_lens", lens,
                        "initial_h", h0, "initial_c", c0)
                : OneNode.model(op, 14, attrs, outs, "X", x, "W", w, "R", r, "B", b, "sequence_lens", lens,
                        "initial_h", h0);
        INDArray[] feed = lstm ? new INDArray[] {x, w, r, b, lens, h0, c0} : new INDArray[] {x, w, r, b, lens, h0};
        INDArray[] expected;
        try (OrtRunner ort = new OrtRunner(m, 1)) {
            expected = ort.run(feed);
        }
        ImportedModel model = OneNode.load(m);
        Tensor[] in = OneNode.feed(true, feed);
        Tensor[] y = model.run(in);
        for (int j = 0; j < outs.length; j++) {
            assertArrayEquals(expected[j].shape(), y[j].data().shape(), outs[j]);
            double diff = expected[j].castTo(DataType.DOUBLE).sub(y[j].data().castTo(DataType.DOUBLE))
                    .amaxNumber().doubleValue();
            assertTrue(diff <= 1e-5, op + " " + direction + " layout " + layout + " " + outs[j] + " vs ONNX Runtime: "
                    + diff);
        }
        // The zero-length entry's final state does not depend on its initial state.
        F.sum(y[1], false).backward();
        INDArray g = in[5].grad();
        INDArray entry = layout == 0 ? g.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(1)) : g.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1));
        assertEquals(0.0, entry.amaxNumber().doubleValue(), 0.0, "gradient of initial_h for the empty sequence");
    }
}

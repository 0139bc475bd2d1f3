package dev.dendrite.onnxbridge.ops.rnn;

import static dev.dendrite.onnxbridge.ops.rnn.OneNode.normal;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnxbridge.ImportedModel;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Bad recurrent nodes fail with an OnnxImportException naming the node, never a native crash. */
class RecurrentBadInputTest {
    private static final DataType FL = DataType.FLOAT;

    @Test
    void hiddenSizeDisagreeingWithW() {
        // hidden_size 3 fits R, but W holds 4 x 2 gate rows, not 4 x 3.
        fails("W must have shape", "LSTM", Map.of("hidden_size", 3L), normal(1, FL, 1, 2, 1, 2),
                normal(2, FL, 1, 1, 8, 2), normal(3, FL, 1, 1, 12, 3), null);
        fails("hidden_size 4 does not match R", "GRU", Map.of("hidden_size", 4L), normal(1, FL, 1, 2, 1, 2),
                normal(2, FL, 1, 1, 9, 2), normal(3, FL, 1, 1, 9, 3), null);
    }

    @Test
    void unsupportedAttributeValues() {
        INDArray x = normal(1, FL, 1, 2, 1, 2);
        INDArray w = normal(2, FL, 1, 1, 3, 2);
        INDArray r = normal(3, FL, 1, 1, 3, 1);
        fails("activation 'Cube' is not supported", "GRU", Map.of("activations", new String[] {"Sigmoid", "Cube"}),
                x, w, r, null);
        fails("direction 'sideways' is not supported", "GRU", Map.of("direction", "sideways"), x, w, r, null);
        fails("activations must list 4", "GRU", Map.of("direction", "bidirectional",
                "activations", new String[] {"Tanh"}), x, normal(2, FL, 1, 2, 3, 2), normal(3, FL, 1, 2, 3, 1), null);
        fails("linear_before_reset must be 0 or 1", "GRU", Map.of("linear_before_reset", 2L), x, w, r, null);
        fails("layout must be 0 or 1", "GRU", Map.of("layout", 3L), x, w, r, null);
    }

    @Test
    void sequenceLengthsOutOfRangeAndWrongShapes() {
        INDArray x = normal(1, FL, 1, 2, 1, 2);
        INDArray w = normal(2, FL, 1, 1, 2, 2);
        INDArray r = normal(3, FL, 1, 1, 2, 2);
        fails("sequence_lens holds 3", "RNN", Map.of(), x, w, r, Nd4j.createFromArray(3));
        fails("sequence_lens must have shape [1]", "RNN", Map.of(), x, w, r, Nd4j.createFromArray(1, 1));
        fails("X must have rank 3", "RNN", Map.of(), normal(1, FL, 1, 2, 2), w, r, null);
        fails("W must be FLOAT like X", "RNN", Map.of(), x, normal(2, DataType.DOUBLE, 1, 1, 2, 2), r, null);
    }

    private static void fails(String message, String op, Map<String, Object> attrs, INDArray x, INDArray w,
            INDArray r, INDArray lens) {
        ImportedModel m = OneNode.load(OneNode.model(op, 22, attrs, new String[] {"Y"}, "X", x, "W", w, "R", r,
                "B", null, "sequence_lens", lens));
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> m.run(OneNode.feed(false, x, w, r, lens)));
        assertTrue(e.getMessage().contains("the_" + op.toLowerCase()) && e.getMessage().contains(message),
                e.getMessage());
    }
}

package dev.dendrite.rnn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Every input check of GruOp and RnnOp, with its exact message, thrown before any native call. */
class RnnOpsValidationTest {
    private static final DataType F32 = DataType.FLOAT;

    private static Tensor zeros(long... shape) {
        return Tensor.of(Nd4j.zeros(F32, shape));
    }

    private static void fails(String message, Executable call) {
        assertEquals(message, assertThrows(ShapeException.class, call).getMessage());
    }

    /** A bidirectional GRU, hidden 10, input 4, T = 5, N = 3, with sequence_lens and initial_h. */
    private static Tensor[] gru(Tensor x, Tensor w, Tensor r, Tensor b, Tensor lens, Tensor h0) {
        return new GruOp(Direction.BIDIRECTIONAL, 10, true, true).apply(x, w, r, b, lens, h0);
    }

    private static Tensor lens(long... values) {
        return Tensor.of(Nd4j.createFromArray(values));
    }

    @Test
    void gruAcceptsTheDocumentedShapes() {
        Tensor[] out = gru(zeros(5, 3, 4), zeros(2, 30, 4), zeros(2, 30, 10), zeros(2, 60), lens(5, 0, 2),
                zeros(2, 3, 10));
        assertEquals(java.util.List.of(5L, 2L, 3L, 10L), java.util.Arrays.stream(out[0].shape()).boxed().toList());
        assertEquals(java.util.List.of(2L, 3L, 10L), java.util.Arrays.stream(out[1].shape()).boxed().toList());
    }

    @Test
    void inputCount() {
        fails("gru: expected 6 inputs (X, W, R, B, sequence_lens, initial_h), got 5",
                () -> new GruOp(Direction.BIDIRECTIONAL, 10, true, true).apply(zeros(5, 3, 4), zeros(2, 30, 4),
                        zeros(2, 30, 10), zeros(2, 60), lens(5, 5, 5)));
        fails("rnn: expected 4 inputs (X, W, R, B), got 5", () -> new RnnOp(Direction.FORWARD, 10, "Tanh", false,
                false).apply(zeros(5, 3, 4), zeros(1, 10, 4), zeros(1, 10, 10), zeros(1, 20), zeros(1, 3, 10)));
    }

    @Test
    void xMustBeRank3() {
        fails("gru: X must be [seq_length, batch_size, input_size], got [5, 4]", () -> gru(zeros(5, 4),
                zeros(2, 30, 4), zeros(2, 30, 10), zeros(2, 60), lens(5, 5, 5), zeros(2, 3, 10)));
    }

    @Test
    void weightShapes() {
        fails("gru: W must be [2, 30, 4] for bidirectional hidden 10 and input 4, got [1, 30, 4]",
                () -> gru(zeros(5, 3, 4), zeros(1, 30, 4), zeros(2, 30, 10), zeros(2, 60), lens(5, 5, 5),
                        zeros(2, 3, 10)));
        fails("gru: W must be [2, 30, 4] for bidirectional hidden 10 and input 4, got [2, 30, 3]",
                () -> gru(zeros(5, 3, 4), zeros(2, 30, 3), zeros(2, 30, 10), zeros(2, 60), lens(5, 5, 5),
                        zeros(2, 3, 10)));
        fails("gru: R must be [2, 30, 10] for bidirectional hidden 10, got [2, 10, 10]",
                () -> gru(zeros(5, 3, 4), zeros(2, 30, 4), zeros(2, 10, 10), zeros(2, 60), lens(5, 5, 5),
                        zeros(2, 3, 10)));
        fails("gru: B must be [2, 60] for bidirectional hidden 10, got [2, 30]",
                () -> gru(zeros(5, 3, 4), zeros(2, 30, 4), zeros(2, 30, 10), zeros(2, 30), lens(5, 5, 5),
                        zeros(2, 3, 10)));
        fails("rnn: W must be [1, 10, 4] for reverse hidden 10 and input 4, got [1, 30, 4]",
                () -> new RnnOp(Direction.REVERSE, 10, "Relu", false, false).apply(zeros(5, 3, 4), zeros(1, 30, 4),
                        zeros(1, 10, 10), zeros(1, 20)));
    }

    @Test
    void sequenceLengths() {
        fails("gru: sequence_lens must be int32 or int64, got FLOAT [3]", () -> gru(zeros(5, 3, 4),
                zeros(2, 30, 4), zeros(2, 30, 10), zeros(2, 60), zeros(3), zeros(2, 3, 10)));
        fails("gru: sequence_lens must be [3] for batch 3, got [2]", () -> gru(zeros(5, 3, 4), zeros(2, 30, 4),
                zeros(2, 30, 10), zeros(2, 60), lens(5, 5), zeros(2, 3, 10)));
        fails("gru: sequence_lens must lie in [0, 5] (seq_length), got 6 for batch element 1", () -> gru(
                zeros(5, 3, 4), zeros(2, 30, 4), zeros(2, 30, 10), zeros(2, 60), lens(5, 6, 5), zeros(2, 3, 10)));
        fails("gru: sequence_lens must lie in [0, 5] (seq_length), got -1 for batch element 2", () -> gru(
                zeros(5, 3, 4), zeros(2, 30, 4), zeros(2, 30, 10), zeros(2, 60),
                Tensor.of(Nd4j.createFromArray(5, 5, -1)), zeros(2, 3, 10)));
    }

    @Test
    void initialState() {
        fails("gru: initial_h must be [2, 3, 10] for bidirectional batch 3 and hidden 10, got [1, 3, 10]",
                () -> gru(zeros(5, 3, 4), zeros(2, 30, 4), zeros(2, 30, 10), zeros(2, 60), lens(5, 5, 5),
                        zeros(1, 3, 10)));
    }

    @Test
    void dtypes() {
        fails("gru: inputs have different dtypes FLOAT [5, 3, 4] and DOUBLE [2, 30, 10]", () -> gru(zeros(5, 3, 4),
                zeros(2, 30, 4), Tensor.of(Nd4j.zeros(DataType.DOUBLE, 2, 30, 10)), zeros(2, 60), lens(5, 5, 5),
                zeros(2, 3, 10)));
        fails("rnn: expected a floating-point input, got INT [5, 3, 4]", () -> new RnnOp(Direction.FORWARD, 10,
                "Tanh", false, false).apply(Tensor.of(Nd4j.zeros(DataType.INT, 5, 3, 4)), zeros(1, 10, 4),
                zeros(1, 10, 10), zeros(1, 20)));
    }

    @Test
    void constructorArguments() {
        fails("gru: direction must be given and hidden_size >= 1, got FORWARD and 0",
                () -> new GruOp(Direction.FORWARD, 0, false, false));
        fails("rnn: activation must be \"Tanh\" or \"Relu\", got \"Sigmoid\"",
                () -> new RnnOp(Direction.FORWARD, 4, "Sigmoid", false, false));
    }
}

package dev.dendrite.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.nn.LayerContext;
import dev.dendrite.random.Rng;
import dev.dendrite.rnn.ops.Direction;
import dev.dendrite.rnn.ops.LstmOp;
import dev.dendrite.spi.Registry;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Bad input to the recurrent layers and the LSTM primitive: a ShapeException with an exact message, never a crash. */
class RecurrentBadInputTest {
    static LayerContext ctx() {
        return new LayerContext(DataType.FLOAT, new Rng(1), Registry.of("layer", java.util.List.of()));
    }

    private static Tensor zeros(long... shape) {
        return Tensor.of(Nd4j.zeros(DataType.FLOAT, shape));
    }

    private static void fails(String message, Executable e) {
        assertEquals(message, assertThrows(ShapeException.class, e).getMessage());
    }

    private final Lstm lstm = new Lstm(Lstm.Config.of(3, 4), ctx());

    @Test
    void wrongFeatureSize() {
        fails("layer 'lstm' (lstm): expected input [T, N, 3] (inputSize 3), got shape [5, 2, 7]",
                () -> lstm.forward(zeros(5, 2, 7)));
        Gru gru = new Gru(Gru.Config.of(3, 4).withBatchFirst(true), ctx());
        fails("layer 'gru' (gru): expected input [N, T, 3] (inputSize 3), got shape [2, 5, 4]",
                () -> gru.forward(zeros(2, 5, 4)));
    }

    @Test
    void wrongRank() {
        fails("layer 'lstm' (lstm): expected a rank-3 input [T, N, 3], got shape [5, 3]",
                () -> lstm.forward(zeros(5, 3)));
        Rnn rnn = new Rnn(Rnn.Config.of(3, 4), ctx());
        fails("layer 'rnn' (rnn): expected a rank-3 input [T, N, 3], got shape [1, 5, 2, 3]",
                () -> rnn.forward(zeros(1, 5, 2, 3)));
    }

    @Test
    void lengthsLongerThanTheSequence() {
        Tensor lens = Tensor.of(Nd4j.createFromArray(5L, 6L));
        fails("layer 'lstm' (lstm): lengths must lie in [1, 5] (the number of steps), got 6",
                () -> lstm.run(zeros(5, 2, 3), lens, null, null));
        fails("layer 'lstm' (lstm): expected lengths [2] (one per sequence), got shape [3]",
                () -> lstm.run(zeros(5, 2, 3), Tensor.of(Nd4j.createFromArray(1L, 2L, 3L)), null, null));
        fails("layer 'lstm' (lstm): lengths must be integers, got FLOAT",
                () -> lstm.run(zeros(5, 2, 3), zeros(2), null, null));
    }

    @Test
    void wrongInitialStateShape() {
        Lstm two = new Lstm(Lstm.Config.of(3, 4).withLayers(2).withBidirectional(true), ctx());
        fails("layer 'lstm' (lstm): expected h0 of shape [4, 2, 4] (numLayers * directions, N, hiddenSize), got "
                + "[2, 2, 4]", () -> two.run(zeros(5, 2, 3), null, zeros(2, 2, 4), null));
        fails("layer 'lstm' (lstm): expected c0 of shape [4, 2, 4] (numLayers * directions, N, hiddenSize), got "
                + "[4, 4, 2]", () -> two.run(zeros(5, 2, 3), null, zeros(4, 2, 4), zeros(4, 4, 2)));
        Gru gru = new Gru(Gru.Config.of(3, 4), ctx());
        fails("layer 'gru' (gru): c0 is an LSTM cell state; gru takes only h0",
                () -> gru.run(zeros(5, 2, 3), null, zeros(1, 2, 4), zeros(1, 2, 4)));
    }

    @Test
    void wrongDtype() {
        fails("layer 'lstm' (lstm): expected a FLOAT input like the parameters, got DOUBLE [5, 2, 3]",
                () -> lstm.forward(Tensor.of(Nd4j.zeros(DataType.DOUBLE, 5, 2, 3))));
    }

    @Test
    void badConfig() {
        fails("rnn: nonlinearity must be \"tanh\" or \"relu\", got \"sigmoid\"",
                () -> new Rnn(Rnn.Config.of(3, 4).withNonlinearity("sigmoid"), ctx()));
        fails("lstm: inputSize, hiddenSize and numLayers must be >= 1 and dropout in [0, 1), got inputSize 3, "
                + "hiddenSize 0, numLayers 1, dropout 0.0", () -> new Lstm(Lstm.Config.of(3, 0), ctx()));
    }

    @Test
    void lstmOpChecksEveryInput() {
        Tensor x = zeros(4, 2, 3);
        LstmOp op = new LstmOp(Direction.BIDIRECTIONAL, 5, true, true);
        Tensor w = zeros(2, 20, 3);
        Tensor r = zeros(2, 20, 5);
        Tensor b = zeros(2, 40);
        Tensor lens = Tensor.of(Nd4j.createFromArray(4, 2));
        Tensor h = zeros(2, 2, 5);
        fails("lstm: expected W [2, 20, 3], got shape [1, 20, 3]",
                () -> op.apply(x, zeros(1, 20, 3), r, b, lens, h, h));
        fails("lstm: expected R [2, 20, 5], got shape [2, 20, 4]",
                () -> op.apply(x, w, zeros(2, 20, 4), b, lens, h, h));
        fails("lstm: expected B [2, 40], got shape [2, 20]", () -> op.apply(x, w, r, zeros(2, 20), lens, h, h));
        fails("lstm: sequence_lens holds 5, outside [0, 4]",
                () -> op.apply(x, w, r, b, Tensor.of(Nd4j.createFromArray(5, 2)), h, h));
        fails("lstm: expected initial_c [2, 2, 5], got shape [1, 2, 5]",
                () -> op.apply(x, w, r, b, lens, h, zeros(1, 2, 5)));
        fails("lstm: expected X [T, N, I], got shape [4, 3]", () -> op.apply(zeros(4, 3), w, r, b, lens, h, h));
        fails("lstm: expected 7 inputs (X, W, R, B, sequence_lens, initial_h, initial_c), got 4",
                () -> op.apply(x, w, r, b));
    }
}

package dev.dendrite.rnn.onnx;

import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.rnn.ops.Direction;
import dev.dendrite.rnn.ops.LstmOp;
import dev.dendrite.tensor.Tensor;

/**
 * ONNX {@code LSTM} without peepholes, clip or input_forget and with the default activations (Sigmoid, Tanh,
 * Tanh) as one fused {@link LstmOp} (libnd4j's lstmLayer); other forms fall back to onnx-bridge's composed LSTM.
 */
public final class FusedLstmConverter extends FusedRecurrentConverter {
    @Override
    String opType() {
        return "LSTM";
    }

    @Override
    int gates() {
        return 4;
    }

    @Override
    int lastInput() {
        return 6;
    }

    @Override
    boolean acceptsForm(OnnxOp op, int dirs) {
        return op.attributes().getOrDefault("input_forget", 0L).equals(0L)
                && defaultActivations(op, dirs, "Sigmoid", "Tanh", "Tanh");
    }

    @Override
    Tensor[] run(OnnxOp op, Direction d, long hidden, Tensor x, Tensor w, Tensor r, Tensor b, Tensor lengths, Tensor[] initial) {
        return new LstmOp(d, hidden, lengths != null, initial != null).apply(args(x, w, r, b, lengths, initial));
    }
}

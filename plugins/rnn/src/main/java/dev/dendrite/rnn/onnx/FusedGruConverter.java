package dev.dendrite.rnn.onnx;

import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.rnn.ops.Direction;
import dev.dendrite.rnn.ops.GruOp;
import dev.dendrite.tensor.Tensor;

/**
 * ONNX {@code GRU} with linear_before_reset = 1 (PyTorch's GRU), no clip and the default activations (Sigmoid,
 * Tanh) as one fused {@link GruOp}; other forms fall back to onnx-bridge's composed GRU.
 */
public final class FusedGruConverter extends FusedRecurrentConverter {
    @Override
    String opType() {
        return "GRU";
    }

    @Override
    int gates() {
        return 3;
    }

    @Override
    int lastInput() {
        return 5;
    }

    @Override
    boolean acceptsForm(OnnxOp op, int dirs) {
        return op.attributes().getOrDefault("linear_before_reset", 0L).equals(1L)
                && defaultActivations(op, dirs, "Sigmoid", "Tanh");
    }

    @Override
    Tensor[] run(OnnxOp op, Direction d, long hidden, Tensor x, Tensor w, Tensor r, Tensor b, Tensor lengths, Tensor[] initial) {
        return new GruOp(d, hidden, lengths != null, initial != null).apply(args(x, w, r, b, lengths, initial));
    }
}

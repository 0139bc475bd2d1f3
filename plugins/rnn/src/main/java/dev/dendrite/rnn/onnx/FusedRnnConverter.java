package dev.dendrite.rnn.onnx;

import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.rnn.ops.Direction;
import dev.dendrite.rnn.ops.RnnOp;
import dev.dendrite.tensor.Tensor;

/**
 * ONNX {@code RNN} with one activation, Tanh (the default) or Relu, for every direction and no clip, as one fused
 * {@link RnnOp}; other forms fall back to onnx-bridge's composed RNN.
 */
public final class FusedRnnConverter extends FusedRecurrentConverter {
    @Override
    String opType() {
        return "RNN";
    }

    @Override
    int gates() {
        return 1;
    }

    @Override
    int lastInput() {
        return 5;
    }

    @Override
    boolean acceptsForm(OnnxOp op, int dirs) {
        return activation(op) != null;
    }

    /** "Tanh" or "Relu" when every direction uses it, else null. */
    private static String activation(OnnxOp op) {
        if (!op.has("activations")) {
            return "Tanh";
        }
        if (!(op.attributes().get("activations") instanceof String[] acts) || acts.length == 0) {
            return null;
        }
        for (String a : acts) {
            if (!a.equalsIgnoreCase(acts[0])) {
                return null;
            }
        }
        return lower(acts[0]).equals("tanh") ? "Tanh" : lower(acts[0]).equals("relu") ? "Relu" : null;
    }

    @Override
    Tensor[] run(OnnxOp op, Direction d, long hidden, Tensor x, Tensor w, Tensor r, Tensor b, Tensor lengths, Tensor[] initial) {
        String act = activation(op); // non-null: accepts() checked it
        return new RnnOp(d, hidden, act, lengths != null, initial != null).apply(args(x, w, r, b, lengths, initial));
    }
}

package dev.dendrite.rnn.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.ShapeException;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX RNN (layout 0, one activation for all directions: Tanh or Relu, no clip): PyTorch's nn.RNN,
 * Ht = f(Xt·Wᵀ + Wb + Ht−1·Rᵀ + Rb).
 * Inputs {X [T, N, I], W [D, H, I], R [D, H, H], B [D, 2H] (Wb then Rb), [sequence_lens int32/int64 [N]],
 * [initial_h [D, N, H]]}; outputs {Y [T, D, N, H], Y_h [D, N, H]}. Direction index 0 is forward, 1 reverse.
 * With sequence_lens, sequence n runs over its first L_n steps only (the reverse direction from L_n − 1 down to
 * 0), Y is 0 after them and Y_h is the state after the last valid step (0 for L_n = 0), as ONNX Runtime and
 * PyTorch compute.
 *
 * <p>Backward is back-propagation through time: per step one GEMM with R; dW, dR, dX, dB one GEMM or sum each.
 */
public final class RnnOp extends Function {
    private static final int GATES = 1;

    private final Direction direction;
    private final long hidden;
    private final String activation;
    private final boolean hasLengths;
    private final boolean hasInitial;

    private RecurrenceInputs inputs;
    private Recurrence recurrence;

    /** @param activation "Tanh" or "Relu", ONNX's names (case as in the spec) */
    public RnnOp(Direction direction, long hidden, String activation, boolean hasLengths, boolean hasInitial) {
        if (direction == null || hidden < 1) {
            throw new ShapeException("rnn: direction must be given and hidden_size >= 1, got " + direction + " and "
                    + hidden);
        }
        if (!"Tanh".equals(activation) && !"Relu".equals(activation)) {
            throw new ShapeException("rnn: activation must be \"Tanh\" or \"Relu\", got " + (activation == null
                    ? "null" : "\"" + activation + "\""));
        }
        this.direction = direction;
        this.hidden = hidden;
        this.activation = activation;
        this.hasLengths = hasLengths;
        this.hasInitial = hasInitial;
    }

    @Override
    public String name() {
        return "rnn";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        inputs = RecurrenceInputs.check(name(), GATES, direction, hidden, hasLengths, hasInitial, in);
        boolean relu = "Relu".equals(activation);
        recurrence = new Recurrence(inputs, direction, hidden, GATES, () -> new RnnCell(relu));
        return recurrence.forward();
    }

    @Override
    protected INDArray[] backward(INDArray[] gradOut) {
        return recurrence.backward(this::needsGrad, gradOut);
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] in, String[] out) {
        String[] activations = new String[direction.count()];
        java.util.Arrays.fill(activations, activation);
        onnx.node("RNN", inputs.onnxInputs(onnx, in), out, Map.of(
                "activations", activations,
                "direction", direction.onnx(),
                "hidden_size", hidden));
    }
}

package dev.dendrite.rnn.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.ShapeException;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX GRU (layout 0, linear_before_reset = 1, f = Sigmoid, g = Tanh, no clip): the PyTorch GRU cell,
 * <pre>
 *   z = σ(Xt·Wzᵀ + Wbz + Ht−1·Rzᵀ + Rbz)      r = σ(Xt·Wrᵀ + Wbr + Ht−1·Rrᵀ + Rbr)
 *   ñ = tanh(Xt·Whᵀ + Wbh + r ⊙ (Ht−1·Rhᵀ + Rbh))      Ht = (1 − z) ⊙ ñ + z ⊙ Ht−1
 * </pre>
 * Inputs {X [T, N, I], W [D, 3H, I], R [D, 3H, H], B [D, 6H] (Wb then Rb), [sequence_lens int32/int64 [N]],
 * [initial_h [D, N, H]]}, gates in ONNX order z, r, h (PyTorch's weight_ih_l0 is r, z, n: reorder the row blocks);
 * outputs {Y [T, D, N, H], Y_h [D, N, H]}. Direction index 0 is forward, 1 reverse. With sequence_lens, sequence
 * n runs over its first L_n steps only (the reverse direction from L_n − 1 down to 0), Y is 0 after them and Y_h
 * is the state after the last valid step (0 for L_n = 0), as ONNX Runtime and PyTorch's packed sequences
 * compute.
 *
 * <p>Backward is back-propagation through time written here (libnd4j's gru_bp is wrong): per step one GEMM with
 * R and elementwise gate derivatives; dW, dR, dX and dB are one GEMM or sum each over all steps.
 */
public final class GruOp extends Function {
    private static final int GATES = 3;

    private final Direction direction;
    private final long hidden;
    private final boolean hasLengths;
    private final boolean hasInitial;

    private RecurrenceInputs inputs;
    private Recurrence recurrence;

    public GruOp(Direction direction, long hidden, boolean hasLengths, boolean hasInitial) {
        if (direction == null || hidden < 1) {
            throw new ShapeException("gru: direction must be given and hidden_size >= 1, got " + direction + " and "
                    + hidden);
        }
        this.direction = direction;
        this.hidden = hidden;
        this.hasLengths = hasLengths;
        this.hasInitial = hasInitial;
    }

    @Override
    public String name() {
        return "gru";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        inputs = RecurrenceInputs.check(name(), GATES, direction, hidden, hasLengths, hasInitial, in);
        recurrence = new Recurrence(inputs, direction, hidden, GATES, () -> new GruCell(hidden));
        return recurrence.forward();
    }

    @Override
    protected INDArray[] backward(INDArray[] gradOut) {
        return recurrence.backward(this::needsGrad, gradOut);
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] in, String[] out) {
        onnx.node("GRU", inputs.onnxInputs(onnx, in), out, Map.of(
                "direction", direction.onnx(),
                "hidden_size", hidden,
                "linear_before_reset", 1L));
    }
}

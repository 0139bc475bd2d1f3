package dev.dendrite.rnn.onnx;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.rnn.ops.Direction;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the fused ONNX RNN, GRU and LSTM converters share: they claim the common form of the op (default
 * activations, no clip, layout 0 or 1) at {@link #PRIORITY} 10, above onnx-bridge's composed converters (0), and
 * decline every other form so it falls back to those. A node they accept runs as one fused primitive per node,
 * trainable like any other (gradients reach X, W, R, B and the initial states).
 *
 * <p>Layout 1 (batch-first: X [N, T, I], states [N, D, H], Y [N, T, D, H]) is permuted to layout 0 around the op.
 */
abstract class FusedRecurrentConverter implements OnnxConverter {
    static final int PRIORITY = 10;

    /** The ONNX op type this converter runs. */
    abstract String opType();

    /** The op's number of gates (LSTM 4, GRU 3, RNN 1). */
    abstract int gates();

    /** The index of the last input the fused op takes (initial_h 5, or initial_c 6 for LSTM). */
    abstract int lastInput();

    /** Whether the node's op-specific attributes and activations are the fused op's. */
    abstract boolean acceptsForm(OnnxOp op, int dirs);

    /** Runs the fused op on layout-0 inputs (B never null; lengths and initial states null when absent). */
    abstract Tensor[] run(OnnxOp op, Direction d, long hidden, Tensor x, Tensor w, Tensor r, Tensor b, Tensor lengths,
            Tensor[] initial);

    @Override
    public final Set<String> opTypes() {
        return Set.of(opType());
    }

    @Override
    public final int priority() {
        return PRIORITY;
    }

    @Override
    public final boolean accepts(OnnxOp op, boolean[] inputPresent) {
        Direction d = Direction.ofOnnx(op.attributes().getOrDefault("direction", "forward").toString());
        Object layout = op.attributes().getOrDefault("layout", 0L);
        if (d == null || !(layout.equals(0L) || layout.equals(1L)) || op.has("clip") || op.has("activation_alpha")
                || op.has("activation_beta") || op.outputCount() > lastInput() - 3) {
            return false;
        }
        for (int i = lastInput() + 1; i < inputPresent.length; i++) {
            if (inputPresent[i]) {
                return false; // LSTM peepholes P
            }
        }
        return acceptsForm(op, d.count());
    }

    /**
     * Whether the node's {@code activations} are absent or {@code defaults} for every direction (given once, or
     * once per direction); names compare case-insensitively as ONNX Runtime reads them.
     */
    static boolean defaultActivations(OnnxOp op, int dirs, String... defaults) {
        if (!op.has("activations")) {
            return true;
        }
        Object v = op.attributes().get("activations");
        if (!(v instanceof String[] acts) || (acts.length != defaults.length && acts.length != dirs * defaults.length)) {
            return false;
        }
        for (int i = 0; i < acts.length; i++) {
            if (!acts[i].equalsIgnoreCase(defaults[i % defaults.length])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public final Tensor[] convert(OnnxOp op, Tensor[] in) {
        Direction d = Direction.ofOnnx(op.attr("direction", "forward"));
        boolean batchFirst = op.flag("layout", false);
        Tensor x = op.input(in, 0, "X");
        Tensor w = op.input(in, 1, "W");
        Tensor r = op.input(in, 2, "R");
        if (x.rank() != 3 || r.rank() != 3) {
            throw op.error("X and R must have rank 3, got X " + Arrays.toString(x.shape()) + " and R "
                    + Arrays.toString(r.shape()));
        }
        long hidden = op.has("hidden_size") ? op.attr("hidden_size", 0L) : r.size(2);
        if (hidden != r.size(2)) {
            throw op.error("hidden_size " + hidden + " does not match R " + Arrays.toString(r.shape()));
        }
        int dirs = d.count();
        if (batchFirst) {
            x = F.permute(x, 1, 0, 2);
        }
        Tensor b = OnnxOp.present(in, 3) ? in[3]
                : Tensor.of(Nd4j.zeros(x.dtype(), dirs, 2L * gates() * hidden));
        Tensor lengths = OnnxOp.present(in, 4) ? in[4] : null;
        Tensor[] initial = null;
        int states = lastInput() - 4;
        boolean anyInitial = false;
        for (int s = 0; s < states; s++) {
            anyInitial |= OnnxOp.present(in, 5 + s);
        }
        if (anyInitial) {
            initial = new Tensor[states];
            long n = x.size(1);
            for (int s = 0; s < states; s++) {
                Tensor init = OnnxOp.present(in, 5 + s) ? in[5 + s] : null;
                if (init != null && batchFirst) {
                    if (init.rank() != 3) {
                        throw op.error("initial state " + s + " must have rank 3, got "
                                + Arrays.toString(init.shape()));
                    }
                    init = F.permute(init, 1, 0, 2);
                }
                initial[s] = init != null ? init : Tensor.of(Nd4j.zeros(x.dtype(), dirs, n, hidden));
            }
        }
        Tensor[] out;
        try {
            out = run(op, d, hidden, x, w, r, b, lengths, initial);
        } catch (ShapeException e) {
            throw op.error(e.getMessage());
        }
        Tensor[] result = new Tensor[op.outputCount()];
        for (int i = 0; i < result.length; i++) {
            result[i] = !batchFirst ? out[i] : i == 0 ? F.permute(out[0], 2, 0, 1, 3) : F.permute(out[i], 1, 0, 2);
        }
        return result;
    }

    /** The fused op's inputs: X, W, R, B, then lengths and initial states when present. */
    static Tensor[] args(Tensor x, Tensor w, Tensor r, Tensor b, Tensor lengths, Tensor[] initial) {
        List<Tensor> a = new ArrayList<>(List.of(x, w, r, b));
        if (lengths != null) {
            a.add(lengths);
        }
        if (initial != null) {
            a.addAll(List.of(initial));
        }
        return a.toArray(Tensor[]::new);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}

package dev.dendrite.rnn.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.onnx.OnnxTypes;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The inputs of an ONNX RNN/GRU/LSTM-style node (layout 0), checked against each other before any native call:
 * X [T, N, I], W [D, G·H, I], R [D, G·H, H], B [D, 2·G·H], optional sequence_lens [N] (int32/int64, values in
 * [0, T]) and initial_h [D, N, H], where G is the number of gates (GRU 3, RNN 1) and D the number of directions.
 */
record RecurrenceInputs(INDArray x, INDArray w, INDArray r, INDArray b, long[] lengths, DataType lengthsType,
        INDArray h0, int lengthsIndex, int initialIndex, DataType type) {

    long steps() {
        return x.size(0);
    }

    long batch() {
        return x.size(1);
    }

    long inputSize() {
        return x.size(2);
    }

    /** True when some sequence is shorter than T, so steps must be masked. */
    boolean masked() {
        if (lengths == null) {
            return false;
        }
        for (long l : lengths) {
            if (l < steps()) {
                return true;
            }
        }
        return false;
    }

    /** True when some sequence has length 0. */
    boolean anyEmptySequence() {
        if (lengths == null) {
            return false;
        }
        for (long l : lengths) {
            if (l == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * ONNX's input list X, W, R, B, sequence_lens, initial_h for the op's input names, with "" for an absent
     * optional input before a present one; int64 lengths get a Cast to the int32 ONNX requires.
     */
    String[] onnxInputs(OnnxBuilder onnx, String[] names) {
        int last = initialIndex >= 0 ? 5 : lengthsIndex >= 0 ? 4 : 3;
        String[] out = new String[last + 1];
        System.arraycopy(names, 0, out, 0, 4);
        if (last >= 4) {
            out[4] = "";
        }
        if (lengthsIndex >= 0) {
            String lens = names[lengthsIndex];
            if (lengthsType != DataType.INT) {
                String cast = onnx.fresh(lens + "_int32");
                onnx.node("Cast", new String[] {lens}, new String[] {cast}, Map.of("to", OnnxTypes.of(DataType.INT)));
                lens = cast;
            }
            out[4] = lens;
        }
        if (initialIndex >= 0) {
            out[5] = names[initialIndex];
        }
        return out;
    }

    static RecurrenceInputs check(String op, int gates, Direction direction, long hidden, boolean hasLengths,
            boolean hasInitial, INDArray[] in) {
        int expected = 4 + (hasLengths ? 1 : 0) + (hasInitial ? 1 : 0);
        if (in.length != expected) {
            throw new ShapeException(op + ": expected " + expected + " inputs (X, W, R, B"
                    + (hasLengths ? ", sequence_lens" : "") + (hasInitial ? ", initial_h" : "") + "), got "
                    + in.length);
        }
        INDArray x = in[0];
        INDArray w = in[1];
        INDArray r = in[2];
        INDArray b = in[3];
        int lengthsIndex = hasLengths ? 4 : -1;
        int initialIndex = hasInitial ? expected - 1 : -1;
        INDArray h0 = hasInitial ? in[initialIndex] : null;
        if (x.rank() != 3) {
            throw new ShapeException(op + ": X must be [seq_length, batch_size, input_size], got "
                    + Shapes.str(x.shape()));
        }
        long t = x.size(0);
        long n = x.size(1);
        long i = x.size(2);
        long d = direction.count();
        long gh = gates * hidden;
        String dir = direction.onnx();
        require(op, "W", w, new long[] {d, gh, i}, "for " + dir + " hidden " + hidden + " and input " + i);
        require(op, "R", r, new long[] {d, gh, hidden}, "for " + dir + " hidden " + hidden);
        require(op, "B", b, new long[] {d, 2 * gh}, "for " + dir + " hidden " + hidden);
        long[] lengths = null;
        if (hasLengths) {
            INDArray lens = in[lengthsIndex];
            if (lens.dataType() != DataType.INT && lens.dataType() != DataType.LONG) {
                throw new ShapeException(op + ": sequence_lens must be int32 or int64, got " + lens.dataType() + " "
                        + Shapes.str(lens.shape()));
            }
            require(op, "sequence_lens", lens, new long[] {n}, "for batch " + n);
            lengths = n == 0 ? new long[0] : lens.toLongVector();
            for (int k = 0; k < lengths.length; k++) {
                if (lengths[k] < 0 || lengths[k] > t) {
                    throw new ShapeException(op + ": sequence_lens must lie in [0, " + t + "] (seq_length), got "
                            + lengths[k] + " for batch element " + k);
                }
            }
        }
        if (hasInitial) {
            require(op, "initial_h", h0, new long[] {d, n, hidden}, "for " + dir + " batch " + n + " and hidden "
                    + hidden);
        }
        DataType type = hasInitial ? Shapes.sameFloating(op, x, w, r, b, h0) : Shapes.sameFloating(op, x, w, r, b);
        // Per-direction slices below assume plain row-major arrays: ND4J's slice(d) of a strided view is wrong.
        x = contiguous(x);
        w = contiguous(w);
        r = contiguous(r);
        b = contiguous(b);
        h0 = h0 == null ? null : contiguous(h0);
        DataType lengthsType = hasLengths ? in[lengthsIndex].dataType() : null;
        return new RecurrenceInputs(x, w, r, b, lengths, lengthsType, h0, lengthsIndex, initialIndex, type);
    }

    private static INDArray contiguous(INDArray a) {
        return a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    }

    private static void require(String op, String what, INDArray a, long[] shape, String why) {
        if (!Arrays.equals(a.shape(), shape)) {
            throw new ShapeException(op + ": " + what + " must be " + Shapes.str(shape) + " " + why + ", got "
                    + Shapes.str(a.shape()));
        }
    }
}

package dev.dendrite.rnn.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.onnx.OnnxTypes;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One LSTM layer with the ONNX {@code LSTM} op's semantics (layout 0, no peepholes, default activations, no
 * clip), per direction and step:
 * <pre>
 *   i = σ(Xₜ·Wᵢᵀ + Hₜ₋₁·Rᵢᵀ + Wbᵢ + Rbᵢ)   f = σ(… f …)   o = σ(… o …)   c̃ = tanh(… c …)
 *   Cₜ = f ⊙ Cₜ₋₁ + i ⊙ c̃                  Hₜ = o ⊙ tanh(Cₜ)
 * </pre>
 * Inputs: X [T, N, I], W [D, 4H, I] and R [D, 4H, H] in ONNX's gate order (i, o, f, c), B [D, 8H] = (Wb, Rb),
 * then optionally sequence lengths (integer [N], each in [0, T]) and optionally initial H and C [D, N, H].
 * Outputs: Y [T, D, N, H] (zero past each sequence's length), Y_h and Y_c [D, N, H] (the states after each
 * sequence's last step; the reverse direction runs from step length−1 down to 0, as ONNX Runtime does).
 *
 * <p>Each direction runs forward on libnd4j's fused {@code lstmLayer} and backward on {@link LstmSegments}' own
 * backpropagation through time (libnd4j's {@code lstmLayer_bp} leaks native memory on every call in 1.0.0-M2.1;
 * checked against finite differences), one call per distinct sequence length ({@link LstmSegments}; one call when all run T
 * steps). libnd4j wants Wx [I, 4H] in its own gate order (i, f, c, o), so the weights are permuted and their gates
 * reordered on the way in and the gradients mapped back on the way out: a few copies of the weights per call,
 * nothing per element. A reverse direction reverses each sequence within its length ({@code reverse_sequence}),
 * runs forward, and reverses Y back.
 */
public final class LstmOp extends Function {
    /** libnd4j's gate order (i, f, c, o) as blocks of ONNX's (i, o, f, c), and back. */
    private static final int[] ONNX_TO_ND4J = {0, 2, 3, 1};
    private static final int[] ND4J_TO_ONNX = {0, 3, 1, 2};

    private final Direction direction;
    private final long hidden;
    private final boolean hasLengths;
    private final boolean hasInitial;

    private int dirs;
    private long[] xShape;
    private INDArray x;
    private INDArray wx;
    private INDArray wr;
    private INDArray b;
    private INDArray lengths;
    private INDArray h0;
    private INDArray c0;
    /** One per direction. */
    private LstmSegments[] segments;
    private DataType lengthsType;

    public LstmOp(Direction direction, long hidden, boolean hasLengths, boolean hasInitial) {
        if (direction == null || hidden <= 0) {
            throw new ShapeException("lstm: needs a direction and hidden size > 0, got " + direction + ", " + hidden);
        }
        this.direction = direction;
        this.hidden = hidden;
        this.hasLengths = hasLengths;
        this.hasInitial = hasInitial;
    }

    @Override
    public String name() {
        return "lstm";
    }

    private int inputCount() {
        return 4 + (hasLengths ? 1 : 0) + (hasInitial ? 2 : 0);
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        String op = name();
        if (in.length != inputCount()) {
            throw new ShapeException(op + ": expected " + inputCount() + " inputs (X, W, R, B"
                    + (hasLengths ? ", sequence_lens" : "") + (hasInitial ? ", initial_h, initial_c" : "") + "), got "
                    + in.length);
        }
        dirs = direction.count();
        long h = hidden;
        INDArray xIn = in[0];
        Shapes.requireFloating(op, xIn);
        if (xIn.rank() != 3) {
            throw new ShapeException(op + ": expected X [T, N, I], got shape " + Shapes.str(xIn.shape()));
        }
        xShape = xIn.shape();
        long t = xShape[0];
        long n = xShape[1];
        long inputSize = xShape[2];
        if (t == 0 || n == 0 || inputSize == 0) {
            throw new ShapeException(op + ": empty X " + Shapes.str(xShape) + " is not supported");
        }
        DataType type = Shapes.sameFloating(op, in[0], in[1], in[2], in[3]);
        expect(op, "W", in[1], dirs, 4 * h, inputSize);
        expect(op, "R", in[2], dirs, 4 * h, h);
        expect(op, "B", in[3], dirs, 8 * h);
        int k = 4;
        lengths = null;
        if (hasLengths) {
            lengths = checkLengths(op, in[k++], t, n);
        }
        if (hasInitial) {
            Shapes.sameFloating(op, in[0], in[k], in[k + 1]);
            expect(op, "initial_h", in[k], dirs, n, h);
            expect(op, "initial_c", in[k + 1], dirs, n, h);
            h0 = in[k];
            c0 = in[k + 1];
        }
        x = xIn;
        wx = toNd4j(in[1]);
        wr = toNd4j(in[2]);
        INDArray bias = Kernels.exec("add", Kernels.empty(type, dirs, 4 * h),
                in[3].get(all(), interval(0, 4 * h)).dup('c'), in[3].get(all(), interval(4 * h, 8 * h)).dup('c'));
        b = reorder(bias, 1, ONNX_TO_ND4J, h);
        if (lengths == null) {
            lengths = Nd4j.valueArrayOf(new long[] {n}, t, DataType.INT64);
        }
        long[] lens = lengths.toLongVector();
        INDArray zeros = hasInitial ? null : Nd4j.zeros(type, n, h);
        segments = new LstmSegments[dirs];
        INDArray y = Kernels.empty(type, t, dirs, n, h);
        INDArray yh = Kernels.empty(type, dirs, n, h);
        INDArray yc = Kernels.empty(type, dirs, n, h);
        for (int d = 0; d < dirs; d++) {
            // Each direction on its own: libnd4j's bidirectional mode runs ~1.5x slower than two one-way calls here.
            boolean reverse = isReverse(d);
            segments[d] = new LstmSegments(wx.slice(d).dup('c'), wr.slice(d).dup('c'), b.slice(d).dup('c'), h, lens);
            INDArray[] out = segments[d].forward(reverse ? reverseSequences(x, lengths) : x,
                    hasInitial ? h0.slice(d) : zeros, hasInitial ? c0.slice(d) : zeros);
            y.get(all(), NDArrayIndex.point(d), all(), all()).assign(reverse ? reverseSequences(out[0], lengths) : out[0]);
            yh.slice(d).assign(out[1]);
            yc.slice(d).assign(out[2]);
        }
        return new INDArray[] {y, yh, yc};
    }

    /** Direction d runs backwards in time: on sequences reversed within their lengths, and Y reversed back. */
    private boolean isReverse(int d) {
        return direction == Direction.REVERSE || d == 1;
    }

    @Override
    protected INDArray[] backward(INDArray[] gradOut) {
        long n = xShape[1];
        long h = hidden;
        INDArray[] nd4j = nativeBackward(gradOut);
        INDArray gx = nd4j[0];
        INDArray gwx = nd4j[1];
        INDArray gwr = nd4j[2];
        INDArray gb = nd4j[3];
        INDArray[] grads = new INDArray[inputCount()];
        if (needsGrad(0)) {
            grads[0] = gx;
        }
        if (needsGrad(1)) {
            grads[1] = fromNd4j(gwx);
        }
        if (needsGrad(2)) {
            grads[2] = fromNd4j(gwr);
        }
        if (needsGrad(3)) {
            INDArray gbOnnx = reorder(gb.reshape('c', dirs, 4 * h), 1, ND4J_TO_ONNX, h);
            grads[3] = Nd4j.concat(1, gbOnnx, gbOnnx); // Wb and Rb enter as a sum
        }
        int s = 4 + (hasLengths ? 1 : 0);
        if (hasInitial) {
            if (needsGrad(s)) {
                grads[s] = nd4j[4].reshape('c', dirs, n, h);
            }
            if (needsGrad(s + 1)) {
                grads[s + 1] = nd4j[5].reshape('c', dirs, n, h);
            }
        }
        return grads;
    }

    /** {dX, dWx, dWr, db (libnd4j layout), dh0, dc0}, direction by direction through {@link LstmSegments}. */
    private INDArray[] nativeBackward(INDArray[] gradOut) {
        long n = xShape[1];
        long h = hidden;
        DataType type = x.dataType();
        INDArray gx = Nd4j.zeros(type, xShape);
        INDArray gwx = Kernels.empty(type, wx.shape());
        INDArray gwr = Kernels.empty(type, wr.shape());
        INDArray gb = Kernels.empty(type, b.shape());
        INDArray gh0 = Kernels.empty(type, dirs, n, h);
        INDArray gc0 = Kernels.empty(type, dirs, n, h);
        for (int d = 0; d < dirs; d++) {
            boolean reverse = isReverse(d);
            INDArray gy = gradOut[0].get(all(), NDArrayIndex.point(d), all(), all()).dup('c');
            // reverse_sequence is its own adjoint.
            INDArray[] g = segments[d].backward(reverse ? reverseSequences(gy, lengths) : gy,
                    gradOut[1].slice(d).dup('c'), gradOut[2].slice(d).dup('c'));
            gx.addi(reverse ? reverseSequences(g[0], lengths) : g[0]);
            gwx.slice(d).assign(g[1]);
            gwr.slice(d).assign(g[2]);
            gb.slice(d).assign(g[3]);
            gh0.slice(d).assign(g[4]);
            gc0.slice(d).assign(g[5]);
        }
        return new INDArray[] {gx, gwx, gwr, gb, gh0, gc0};
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        String[] in = new String[7];
        System.arraycopy(inputs, 0, in, 0, 4);
        int k = 4;
        in[4] = "";
        if (hasLengths) {
            String lens = inputs[k++];
            if (lengthsType != DataType.INT32) {
                // ONNX's sequence_lens is int32 only.
                String cast = onnx.fresh("sequence_lens");
                onnx.node("Cast", new String[] {lens}, new String[] {cast},
                        Map.of("to", OnnxTypes.of(DataType.INT32)));
                lens = cast;
            }
            in[4] = lens;
        }
        in[5] = hasInitial ? inputs[k] : "";
        in[6] = hasInitial ? inputs[k + 1] : "";
        int used = hasInitial ? 7 : hasLengths ? 5 : 4;
        String[] nodeInputs = Arrays.copyOf(in, used);
        onnx.node("LSTM", nodeInputs, outputs, Map.of("direction", direction.onnx(), "hidden_size", hidden));
    }

    /** Checks sequence lengths (integral [N], each in [0, T]) and returns them as a native-readable array. */
    private INDArray checkLengths(String op, INDArray lens, long t, long n) {
        if (lens.dataType().isFPType() || lens.dataType() == DataType.BOOL) {
            throw new ShapeException(op + ": sequence_lens must be integral, got " + lens.dataType() + " "
                    + Shapes.str(lens.shape()));
        }
        if (lens.rank() != 1 || lens.size(0) != n) {
            throw new ShapeException(op + ": expected sequence_lens [" + n + "], got shape " + Shapes.str(lens.shape()));
        }
        lengthsType = lens.dataType();
        long[] v = lens.toLongVector();
        for (long l : v) {
            if (l < 0 || l > t) {
                throw new ShapeException(op + ": sequence_lens holds " + l + ", outside [0, " + t + "]");
            }
        }
        return lens.castTo(DataType.INT64).dup('c');
    }

    private static void expect(String op, String what, INDArray a, long... shape) {
        if (!Arrays.equals(a.shape(), shape)) {
            throw new ShapeException(op + ": expected " + what + " " + Shapes.str(shape) + ", got shape "
                    + Shapes.str(a.shape()));
        }
    }

    /** ONNX [D, 4H, K] (i, o, f, c) to libnd4j's [D, K, 4H] (i, f, c, o). */
    private INDArray toNd4j(INDArray w) {
        return reorder(w, 1, ONNX_TO_ND4J, hidden).permute(0, 2, 1).dup('c');
    }

    /** libnd4j's [K, 4H] or [2, K, 4H] gradient back to ONNX's [D, 4H, K]. */
    private INDArray fromNd4j(INDArray g) {
        INDArray g3 = g.rank() == 2 ? g.reshape('c', 1, g.size(0), g.size(1)) : g;
        return reorder(g3.permute(0, 2, 1), 1, ND4J_TO_ONNX, hidden);
    }

    /** The four H-sized gate blocks along {@code axis} of {@code a}, in the order {@code blocks}; a new array. */
    private static INDArray reorder(INDArray a, int axis, int[] blocks, long h) {
        INDArray[] parts = new INDArray[4];
        for (int i = 0; i < 4; i++) {
            long from = blocks[i] * h;
            parts[i] = a.get(range(a.rank(), axis, from, from + h));
        }
        return Nd4j.concat(axis, parts).dup('c');
    }

    private static INDArrayIndex[] range(int rank, int axis, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[rank];
        for (int d = 0; d < rank; d++) {
            idx[d] = d == axis ? interval(from, to) : all();
        }
        return idx;
    }

    /** Reverses steps [0, len) of each sequence of a [T, N, ...] array, leaving padded steps in place. */
    static INDArray reverseSequences(INDArray a, INDArray lengths) {
        INDArray out = Kernels.empty(a.dataType(), a.shape());
        // iArgs: seqDim 0, batchDim 1.
        Kernels.exec("reverse_sequence", new INDArray[] {a.dup('c'), lengths}, new INDArray[] {out},
                new long[] {0, 1}, null, null);
        return out;
    }

    private static INDArrayIndex all() {
        return NDArrayIndex.all();
    }

    private static INDArrayIndex interval(long from, long to) {
        return NDArrayIndex.interval(from, to);
    }
}

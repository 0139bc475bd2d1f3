package dev.dendrite.rnn.ops;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native calls the fused recurrences share. Per-step code runs libnd4j's custom ops through {@link Kernels}
 * into preallocated outputs (often views of per-sequence arrays): a recurrence makes ~10 small calls per step,
 * where the ~1 µs cached path against ND4J's ~6 µs legacy INDArray ops is most of the time at small sizes.
 */
final class RecurrenceMath {
    private RecurrenceMath() {}

    /** out = op(inputs), a libnd4j broadcastable pairwise or elementwise op ("add", "multiply", "tanh", ...). */
    static INDArray exec(String op, INDArray out, INDArray... inputs) {
        return Kernels.exec(op, out, inputs);
    }

    /** A fresh array: op(a, b) with NumPy broadcasting. */
    static INDArray fresh(String op, INDArray a, INDArray b) {
        INDArray out = Kernels.empty(a.dataType(), Shapes.broadcast(op, a.shape(), b.shape()));
        return Kernels.exec(op, out, a, b);
    }

    /** x ← 1 − x; returns x. */
    static INDArray oneMinusInPlace(INDArray x) {
        return Kernels.exec("subtract", x, Nd4j.scalar(x.dataType(), 1.0), x);
    }

    /** 1 − x, fresh. */
    static INDArray oneMinus(INDArray x) {
        return fresh("subtract", Nd4j.scalar(x.dataType(), 1.0), x);
    }

    /** Rows from:to of a 2-D array: a contiguous view, written through by the ops above. */
    static INDArray rows(INDArray x, long from, long to) {
        return x.get(interval(from, to), all());
    }

    /** [T, A, B] → a fresh [T, B, A]: between the batch-major layout of X and Y and the cells' feature-major one. */
    static INDArray swapLast(INDArray x) {
        return x.permute(0, 2, 1).dup('c');
    }

    /** a·b with either side transposed, one native matmul into a fresh [m, n] array. */
    static INDArray mm(INDArray a, INDArray b, boolean ta, boolean tb) {
        long m = a.size(ta ? 1 : 0);
        long n = b.size(tb ? 0 : 1);
        INDArray out = Nd4j.createUninitialized(a.dataType(), m, n);
        return mmInto(a, b, out, ta, tb, false);
    }

    /** out = a·b (or out += a·b when {@code accumulate}), either side transposed; one native matmul. */
    static INDArray mmInto(INDArray a, INDArray b, INDArray out, boolean ta, boolean tb, boolean accumulate) {
        long k = a.size(ta ? 0 : 1);
        if (out.isEmpty()) {
            return out;
        }
        if (k == 0) {
            // An empty sum is 0; libnd4j's matmul fails on empty operands instead.
            return accumulate ? out : out.assign(0);
        }
        // tArgs alpha, beta: out = alpha·a·b + beta·out.
        Kernels.exec("matmul", new INDArray[] {a, b}, new INDArray[] {out}, new long[] {ta ? 1 : 0, tb ? 1 : 0},
                new double[] {1.0, accumulate ? 1.0 : 0.0}, null);
        return out;
    }

    /**
     * x [T, N, ...] with the first {@code lengths[n]} steps of every sequence n reversed and the rest copied, as
     * ONNX's ReverseSequence: the reverse direction of a recurrence runs over the reversed valid part, which makes
     * it the forward recurrence of this input. Its own inverse.
     */
    static INDArray reverse(INDArray x, INDArray lengths) {
        INDArray out = Kernels.empty(x.dataType(), x.shape());
        // iArgs: seqDim 0 (time), batchDim 1.
        Kernels.exec("reverse_sequence", new INDArray[] {x.dup('c'), lengths}, new INDArray[] {out},
                new long[] {0, 1}, null, null);
        return out;
    }

    /** [T, N] with 1 where step t is inside sequence n (t < lengths[n]) and 0 after it. */
    static INDArray stepMask(DataType type, long steps, INDArray lengths) {
        INDArray t = Nd4j.arange(0, steps).castTo(DataType.LONG).reshape(steps, 1);
        INDArray inside = Kernels.empty(DataType.BOOL, steps, lengths.length());
        Kernels.exec("less", inside, t, lengths.castTo(DataType.LONG).reshape(1, lengths.length()));
        return inside.castTo(type);
    }
}

package dev.dendrite.attention;

import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The native calls the attention primitive shares: batched matmul, broadcasting arithmetic, masks. */
final class Nd {
    private Nd() {}

    /** op(x)·op(y) over the last two axes, batch axes equal; one native matmul into a fresh array. */
    static INDArray mm(INDArray x, INDArray y, boolean tx, boolean ty) {
        int r = x.rank();
        long[] shape = x.shape().clone();
        shape[r - 2] = x.size(tx ? r - 1 : r - 2);
        shape[r - 1] = y.size(ty ? r - 2 : r - 1);
        INDArray out = Kernels.empty(x.dataType(), shape);
        Kernels.exec("matmul", new INDArray[] {x, y}, new INDArray[] {out}, new long[] {tx ? 1 : 0, ty ? 1 : 0},
                null, null);
        return out;
    }

    /** A broadcasting native binary op ("add", "multiply", ...) into a fresh array. */
    static INDArray binary(String op, INDArray a, INDArray b) {
        INDArray out = Kernels.empty(a.dataType(), Shapes.broadcast(op, a.shape(), b.shape()));
        return Kernels.exec(op, out, a, b);
    }

    /** a ← a (op) b, b broadcasting into a's shape. */
    static INDArray inPlace(String op, INDArray a, INDArray b) {
        return Kernels.exec(op, a, a, b);
    }

    /** Σ over the last axis, kept as size 1. */
    static INDArray sumLast(INDArray x) {
        long[] shape = x.shape().clone();
        shape[shape.length - 1] = 1;
        INDArray out = Kernels.empty(x.dataType(), shape);
        Kernels.exec("reduce_sum", new INDArray[] {x}, new INDArray[] {out}, new long[] {x.rank() - 1},
                null, new boolean[] {true});
        return out;
    }

    /**
     * A bool mask (true = masked) as an additive float bias: log(1 − mask), i.e. 0 where allowed and −∞ where
     * masked, in three native calls (not 0·(−∞), which is NaN).
     */
    static INDArray additive(INDArray bool, DataType type) {
        INDArray bias = Kernels.cast(Kernels.empty(type, bool.shape()), bool);
        Kernels.scalar("rsub", bias, bias, 1.0);
        return Kernels.transform("log", bias, bias);
    }

    /** The causal bias [Lq, Lk]: 0 for key j ≤ query i, −∞ above the diagonal (top-left aligned, as PyTorch). */
    static INDArray causal(DataType type, long lq, long lk) {
        INDArray upper = Nd4j.ones(type, lq, lk);
        // triu with diagonal 1 keeps the strict upper triangle: the positions to mask.
        INDArray strict = Kernels.empty(type, lq, lk);
        Kernels.exec("triu", new INDArray[] {upper}, new INDArray[] {strict}, new long[] {1}, null, null);
        return additive(strict.castTo(DataType.BOOL), type);
    }

}

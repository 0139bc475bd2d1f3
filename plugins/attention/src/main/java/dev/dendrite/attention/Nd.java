package dev.dendrite.attention;

import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.api.rng.Random;
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

    /** A bool mask (true = masked) as an additive float bias: 0 where allowed, −∞ where masked. */
    static INDArray additive(INDArray bool, DataType type) {
        INDArray bias = bool.castTo(type);
        // 1 → −∞ by condition rather than multiplication: 0·(−∞) is NaN.
        org.nd4j.linalg.indexing.BooleanIndexing.replaceWhere(bias, Double.NEGATIVE_INFINITY,
                org.nd4j.linalg.indexing.conditions.Conditions.greaterThan(0.5));
        return bias;
    }

    /** The causal bias [Lq, Lk]: 0 for key j ≤ query i, −∞ above the diagonal (top-left aligned, as PyTorch). */
    static INDArray causal(DataType type, long lq, long lk) {
        INDArray upper = Nd4j.ones(type, lq, lk);
        // triu with diagonal 1 keeps the strict upper triangle: the positions to mask.
        INDArray strict = Kernels.empty(type, lq, lk);
        Kernels.exec("triu", new INDArray[] {upper}, new INDArray[] {strict}, new long[] {1}, null, null);
        return additive(strict.castTo(DataType.BOOL), type);
    }

    /** Inverted-dropout mask: Bernoulli(1 − p) / (1 − p), drawn from {@code seed}. */
    static INDArray dropoutMask(DataType type, long[] shape, double p, long seed) {
        INDArray mask = Nd4j.createUninitialized(type, shape);
        try (Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed)) {
            Nd4j.getExecutioner().exec(new BernoulliDistribution(mask, 1.0 - p), rng);
        } catch (Exception e) {
            throw new IllegalStateException("attention dropout: could not release the native random generator", e);
        }
        return mask.muli(1.0 / (1.0 - p));
    }

    /** Whether some row (last axis) of an additive bias is −∞ everywhere: a query that may attend to nothing. */
    static boolean hasDeadRow(INDArray bias) {
        if (bias.length() == 0) {
            return false;
        }
        INDArray rowMax = bias.max(true, bias.rank() - 1);
        return rowMax.minNumber().doubleValue() == Double.NEGATIVE_INFINITY;
    }
}

package dev.dendrite.basic.loss;

import dev.dendrite.ops.F;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Checks shared by the losses: no silent broadcasting between prediction and target, ids in range. */
final class Targets {
    private Targets() {}

    static void sameShape(String loss, Tensor prediction, Tensor target) {
        if (!Arrays.equals(prediction.shape(), target.shape())) {
            throw new ShapeException(loss + ": prediction " + Shapes.str(prediction.shape()) + " and target "
                    + Shapes.str(target.shape()) + " must have the same shape");
        }
    }

    /**
     * Class scores [N, C] or [N, C, d1, ...] with integer targets [N] or [N, d1, ...] → scores [M, C] and
     * the targets as checked int64 ids [M], class axis last.
     */
    static Tensor[] classesLast(String loss, Tensor scores, Tensor target) {
        if (!target.dtype().isIntType()) {
            throw new ShapeException(loss + ": targets must be integer class ids, got " + target.dtype() + " "
                    + Shapes.str(target.shape()));
        }
        long[] s = scores.shape();
        long[] expected = new long[Math.max(0, s.length - 1)];
        if (s.length >= 2) {
            expected[0] = s[0];
            System.arraycopy(s, 2, expected, 1, s.length - 2);
        }
        if (s.length < 2 || !Arrays.equals(target.shape(), expected)) {
            throw new ShapeException(loss + ": scores [N, C, ...] " + Shapes.str(s) + " need targets "
                    + Shapes.str(expected) + ", got " + Shapes.str(target.shape()));
        }
        long classes = s[1];
        Tensor flat = scores;
        if (s.length > 2) {
            int[] perm = new int[s.length];
            perm[0] = 0;
            for (int i = 2; i < s.length; i++) {
                perm[i - 1] = i;
            }
            perm[s.length - 1] = 1;
            flat = F.reshape(F.permute(scores, perm), -1, classes);
        }
        return new Tensor[] {flat, Tensor.of(ids(loss, target.data(), classes))};
    }

    /** Integer ids as a flat int64 vector, range-checked in Java before any native op sees them. */
    static INDArray ids(String loss, INDArray ids, long classes) {
        INDArray flat = (ids.rank() == 1 ? ids : ids.reshape(ids.length())).castTo(DataType.INT64);
        if (flat.length() > 0) {
            // Native reductions: INDArray.minNumber/maxNumber take ND4J's legacy path (~120 µs each here).
            long min = Kernels.exec("reduce_min", Kernels.empty(DataType.INT64), flat).getLong(0);
            long max = Kernels.exec("reduce_max", Kernels.empty(DataType.INT64), flat).getLong(0);
            if (min < 0 || max >= classes) {
                throw new ShapeException(loss + ": class id " + (min < 0 ? min : max) + " is outside [0, " + classes
                        + ")");
            }
        }
        return flat;
    }

    /** One-hot rows [M, C] of ids already checked by {@link #ids}. */
    static INDArray oneHot(INDArray ids, long classes, DataType type) {
        INDArray out = Kernels.empty(type, ids.length(), classes);
        Kernels.exec("onehot", new INDArray[] {ids}, new INDArray[] {out}, new long[] {-1, classes},
                new double[] {1.0, 0.0}, null);
        return out;
    }

    /**
     * Each row's log-probability at its target class, [M]: a gather at flat index row·C + id. Picking, not
     * multiplying by a one-hot, so a −∞ at another class cannot give −∞·0 = NaN; and one small gather instead
     * of libnd4j's select, which costs ~0.6 ms even on [256, 10].
     */
    static Tensor picked(Tensor logp, Tensor ids) {
        long classes = logp.size(1);
        INDArray flatIndex = Nd4j.arange(0, ids.data().length()).castTo(DataType.INT64).muli(classes).addi(ids.data());
        return F.gather(F.reshape(logp, -1), Tensor.of(flatIndex), 0);
    }
}

package dev.dendrite.basic.loss;

import dev.dendrite.ops.F;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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
     * the targets' one-hot [M, C], class axis last.
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
        return new Tensor[] {flat, Tensor.of(oneHot(loss, target.data(), classes, scores.dtype()))};
    }

    /** One-hot rows for integer ids, range-checked in Java before the native op sees them. */
    static INDArray oneHot(String loss, INDArray ids, long classes, DataType type) {
        INDArray flat = ids.reshape(ids.length()).castTo(DataType.INT64);
        if (flat.length() > 0) {
            long min = flat.minNumber().longValue();
            long max = flat.maxNumber().longValue();
            if (min < 0 || max >= classes) {
                throw new ShapeException(loss + ": class id " + (min < 0 ? min : max) + " is outside [0, " + classes
                        + ")");
            }
        }
        INDArray out = Kernels.empty(type, flat.length(), classes);
        Kernels.exec("onehot", new INDArray[] {flat}, new INDArray[] {out}, new long[] {-1, classes},
                new double[] {1.0, 0.0}, null);
        return out;
    }

    /**
     * Each row's log-probability at its target class, [M]. Selected with where, not multiplied by the
     * one-hot: a −∞ at another class would otherwise give −∞·0 = NaN.
     */
    static Tensor picked(Tensor logp, Tensor oneHot) {
        Tensor chosen = F.where(Tensor.of(oneHot.data().castTo(DataType.BOOL)), logp, F.scalar(logp, 0.0));
        return F.sum(chosen, false, 1);
    }
}

package dev.dendrite.basic.loss;

import dev.dendrite.ops.F;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;

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
        // Ids are checked (integer, in [0, C)) by the loss primitive itself, on every call, compiled or not.
        return new Tensor[] {flat, target.rank() == 1 ? target : F.reshape(target, -1)};
    }
}

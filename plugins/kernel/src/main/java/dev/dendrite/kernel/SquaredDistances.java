package dev.dendrite.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** All pairwise squared Euclidean distances by ‖a‖² − 2a·bᵀ + ‖b‖²: one GEMM, clamped at zero. */
public final class SquaredDistances {
    private SquaredDistances() {}

    /** {@code [n, m]} distances between the rows of a [n, d] and b [m, d]. */
    public static INDArray of(INDArray a, INDArray b) {
        return of(a, rowNorms(a), b);
    }

    /** As {@link #of(INDArray, INDArray)} with a's squared row norms [n, 1] precomputed. */
    public static INDArray of(INDArray a, INDArray aa, INDArray b) {
        INDArray bb = rowNorms(b).reshape(1, b.size(0));
        INDArray d = a.mmul(b.transpose()).muli(-2.0).addiColumnVector(aa).addiRowVector(bb);
        return Transforms.max(d, 0.0, false);
    }

    /** ‖row‖² as a column [n, 1]. */
    public static INDArray rowNorms(INDArray a) {
        return a.mul(a).sum(true, 1).reshape(a.size(0), 1);
    }
}

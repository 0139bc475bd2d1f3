package dev.dendrite.kernel;

import dev.dendrite.tensor.Kernels;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * All pairwise squared Euclidean distances by ‖a‖² − 2a·bᵀ + ‖b‖²: one GEMM (the transpose as a flag, not a
 * copy), the norms by a native reduction without a squared temporary, clamped at zero.
 */
public final class SquaredDistances {
    private SquaredDistances() {}

    /** {@code [n, m]} distances between the rows of a [n, d] and b [m, d]. */
    public static INDArray of(INDArray a, INDArray b) {
        return of(a, rowNorms(a), b);
    }

    /** As {@link #of(INDArray, INDArray)} with a's squared row norms [n, 1] precomputed. */
    public static INDArray of(INDArray a, INDArray aa, INDArray b) {
        INDArray bb = rowNorms(b).reshape(1, b.size(0));
        INDArray d = Nd4j.gemm(a, b, false, true).muli(-2.0).addiColumnVector(aa).addiRowVector(bb);
        return Transforms.max(d, 0.0, false);
    }

    /** ‖row‖² as a column [n, 1]. */
    public static INDArray rowNorms(INDArray a) {
        INDArray out = Kernels.empty(a.dataType(), a.size(0));
        Kernels.exec("reduce_sqnorm", new INDArray[] {a}, new INDArray[] {out}, new long[] {1}, null,
                new boolean[] {false});
        return out.reshape(a.size(0), 1);
    }
}

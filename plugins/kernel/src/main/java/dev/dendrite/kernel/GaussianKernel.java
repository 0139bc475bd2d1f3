package dev.dendrite.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The Gaussian (RBF) kernel k(x, y) = exp(−γ‖x − y‖²), evaluated exactly. */
public final class GaussianKernel {
    private GaussianKernel() {}

    /** The Gram matrix [n, m] between the rows of a [n, d] and b [m, d]. */
    public static INDArray matrix(INDArray a, INDArray b, double gamma) {
        return Transforms.exp(SquaredDistances.of(a, b).muli(-gamma), false);
    }

    /**
     * The median heuristic: γ = 1 / median(‖x_i − x_j‖²) over distinct pairs of {@code sample}'s rows, a
     * width at which the kernel neither saturates to 0 nor to 1 on the data.
     */
    public static double medianGamma(INDArray sample) {
        long n = sample.size(0);
        if (n < 2) {
            throw new dev.dendrite.tensor.DendriteException("median heuristic: need at least 2 points, got " + n);
        }
        // The n self-distances are the n smallest entries (zeros); the off-diagonal median follows them in
        // the sorted Gram, so one native sort answers it without a loop over pairs.
        INDArray sorted = org.nd4j.linalg.factory.Nd4j.sort(SquaredDistances.of(sample, sample).reshape(n * n), true);
        double median = sorted.getDouble(n + (n * n - n) / 2);
        if (!(median > 0)) {
            throw new dev.dendrite.tensor.DendriteException("median heuristic: half the points coincide");
        }
        return 1.0 / median;
    }
}

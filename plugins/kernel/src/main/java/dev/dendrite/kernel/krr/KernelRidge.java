package dev.dendrite.kernel.krr;

import dev.dendrite.kernel.ClassTargets;
import dev.dendrite.kernel.GaussianKernel;
import dev.dendrite.kernel.linalg.Cholesky;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Kernel ridge regression with the exact Gaussian kernel: α = (K + λI)⁻¹·Y, f(x) = k(x, X)·α. It is the
 * baseline random features approximate: O(n²) memory and O(n³) time, so it is run on a few thousand
 * examples. Class labels become one-hot targets and {@link #predictClasses} takes the argmax.
 */
public final class KernelRidge {
    private static final int BATCH = 2000;

    private final INDArray train;
    private final INDArray alpha;
    private final double gamma;

    private KernelRidge(INDArray train, INDArray alpha, double gamma) {
        this.train = train;
        this.alpha = alpha;
        this.gamma = gamma;
    }

    /**
     * @param x [n, d] training inputs
     * @param y [n] int64 class ids (with {@code classes}) or [n, k] float targets
     * @param classes the number of classes for class ids; ignored for float targets
     */
    public static KernelRidge fit(INDArray x, INDArray y, int classes, double gamma, double lambda) {
        if (x.rank() != 2 || y.size(0) != x.size(0)) {
            throw new DendriteException("kernel ridge: expected x [n, d] and n targets, got x "
                    + Shapes.str(x.shape()) + ", y " + Shapes.str(y.shape()));
        }
        if (!(gamma > 0) || !(lambda > 0) || Double.isInfinite(gamma) || Double.isInfinite(lambda)) {
            throw new DendriteException("kernel ridge: gamma and lambda must be positive and finite, got gamma="
                    + gamma + ", lambda=" + lambda);
        }
        INDArray xd = x.castTo(DataType.DOUBLE);
        INDArray targets = y.dataType().isIntType()
                ? ClassTargets.oneHot(y, classes, DataType.DOUBLE)
                : y.castTo(DataType.DOUBLE);
        INDArray k = GaussianKernel.matrix(xd, xd, gamma);
        k.addi(Nd4j.eye(x.size(0)).castTo(DataType.DOUBLE).muli(lambda));
        return new KernelRidge(xd, Cholesky.factor(k).solve(targets.reshape(x.size(0), -1)), gamma);
    }

    /** f(x) [m, k], in blocks of rows so the [m, n] kernel never exists whole. */
    public INDArray predict(INDArray x) {
        if (x.rank() != 2 || x.size(1) != train.size(1)) {
            throw new DendriteException("kernel ridge: expected [m, " + train.size(1) + "], got "
                    + Shapes.str(x.shape()));
        }
        INDArray out = Nd4j.create(DataType.DOUBLE, x.size(0), alpha.size(1));
        for (long i = 0; i < x.size(0); i += BATCH) {
            long e = Math.min(x.size(0), i + BATCH);
            INDArray rows = x.get(NDArrayIndex.interval(i, e), NDArrayIndex.all()).castTo(DataType.DOUBLE);
            out.get(NDArrayIndex.interval(i, e), NDArrayIndex.all())
                    .assign(GaussianKernel.matrix(rows, train, gamma).mmul(alpha));
        }
        return out;
    }

    /** The argmax class of each row, int64 [m]. */
    public INDArray predictClasses(INDArray x) {
        return predict(x).argMax(1).castTo(DataType.INT64);
    }
}

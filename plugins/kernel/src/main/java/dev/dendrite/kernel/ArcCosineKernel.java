package dev.dendrite.kernel;

import dev.dendrite.tensor.DendriteException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Cho and Saul's arc-cosine kernels, exactly: {@code k_n(x, y) = (1/π)‖x‖ⁿ‖y‖ⁿ J_n(θ)} with θ the angle
 * between x and y, J₀(θ) = π − θ and J₁(θ) = sin θ + (π − θ) cos θ.
 */
public final class ArcCosineKernel {
    private ArcCosineKernel() {}

    /** The Gram matrix [n, m] between the rows of a [n, d] and b [m, d], for degree 0 or 1. */
    public static INDArray matrix(INDArray a, INDArray b, int degree) {
        if (degree != 0 && degree != 1) {
            throw new DendriteException("arc-cosine kernel: degree must be 0 or 1, got " + degree);
        }
        INDArray na = Transforms.sqrt(SquaredDistances.rowNorms(a), false); // [n, 1]
        INDArray nb = Transforms.sqrt(SquaredDistances.rowNorms(b), false).reshape(1, b.size(0));
        INDArray norms = na.mmul(nb); // ‖x‖‖y‖
        INDArray cos = a.mmul(b.transpose()).divi(Transforms.max(norms, Double.MIN_NORMAL, true));
        INDArray theta = Transforms.acos(Transforms.min(Transforms.max(cos, -1.0, false), 1.0, false), true);
        INDArray piMinusTheta = theta.rsub(Math.PI);
        if (degree == 0) {
            return piMinusTheta.divi(Math.PI);
        }
        INDArray j1 = Transforms.sin(theta, true).addi(piMinusTheta.mul(cos));
        return j1.muli(norms).divi(Math.PI);
    }
}

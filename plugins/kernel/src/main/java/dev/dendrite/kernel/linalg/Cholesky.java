package dev.dendrite.kernel.linalg;

import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.custom.TriangularSolve;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Solves A·X = B for a symmetric positive definite A (a ridge system HᵀH + λI, a kernel matrix K + λI) in
 * float64: the factor by LAPACK's potrf (ND4J's bundled OpenBLAS), then the two triangular systems by
 * blocked substitution whose bulk is GEMM. Measured here: ND4J 1.0.0-M2.1's CPU BLAS {@code trsm} silently
 * does nothing, its {@code matrix_inverse} and {@code solve} take 15–20 s at n = 500–2000, and its
 * {@code triangular_solve} grows faster than n²; on 128-row diagonal blocks the latter is fast.
 */
public final class Cholesky {
    private static final int BLOCK = 128;

    private final INDArray lower;

    private Cholesky(INDArray lower) {
        this.lower = lower;
    }

    /** Factors {@code a} [n, n] (only its lower triangle is read). */
    public static Cholesky factor(INDArray a) {
        if (a.rank() != 2 || a.size(0) != a.size(1)) {
            throw new DendriteException("cholesky: expected a square matrix, got " + Shapes.str(a.shape()));
        }
        INDArray l = a.castTo(DataType.DOUBLE).dup('f');
        if (l.neq(l).any()) { // NaN never equals itself
            throw new DendriteException("cholesky: the matrix has NaN entries");
        }
        try {
            Nd4j.getBlasWrapper().lapack().potrf(l, true);
        } catch (RuntimeException | Error e) {
            // OpenBLAS reports the order of the first non-positive pivot.
            throw new DendriteException("cholesky: the matrix is not positive definite (" + e.getMessage()
                    + "); raise the ridge", e);
        }
        return new Cholesky(l.dup('c'));
    }

    /** X with A·X = B, for B [n, k]; float64. */
    public INDArray solve(INDArray b) {
        long n = lower.size(0);
        if (b.rank() != 2 || b.size(0) != n) {
            throw new DendriteException("cholesky: right-hand side must be [" + n + ", k], got "
                    + Shapes.str(b.shape()));
        }
        INDArray y = b.castTo(DataType.DOUBLE).dup('c');
        // L·Y = B, block rows top to bottom: Y_i = L_ii⁻¹ (B_i − L_i,<i · Y_<i).
        for (long i = 0; i < n; i += BLOCK) {
            long e = Math.min(n, i + BLOCK);
            INDArray yi = rows(y, i, e);
            if (i > 0) {
                yi.subi(block(lower, i, e, 0, i).mmul(rows(y, 0, i)));
            }
            yi.assign(triangular(block(lower, i, e, i, e), yi, false));
        }
        // Lᵀ·X = Y, block rows bottom to top: X_i = L_iiᵀ⁻¹ (Y_i − (L_>i,i)ᵀ · X_>i).
        long last = ((n - 1) / BLOCK) * BLOCK;
        for (long i = last; i >= 0; i -= BLOCK) {
            long e = Math.min(n, i + BLOCK);
            INDArray xi = rows(y, i, e);
            if (e < n) {
                xi.subi(block(lower, e, n, i, e).transpose().mmul(rows(y, e, n)));
            }
            xi.assign(triangular(block(lower, i, e, i, e), xi, true));
        }
        return y;
    }

    /** Solves with a small lower-triangular block, or with its transpose. */
    private static INDArray triangular(INDArray l, INDArray rhs, boolean transpose) {
        return Nd4j.getExecutioner().exec(new TriangularSolve(l.dup('c'), rhs.dup('c'), true, transpose))[0];
    }

    private static INDArray rows(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    private static INDArray block(INDArray a, long r0, long r1, long c0, long c1) {
        return a.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.interval(c0, c1));
    }
}

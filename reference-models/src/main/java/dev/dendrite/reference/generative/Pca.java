package dev.dendrite.reference.generative;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Principal component analysis by ND4J's LAPACK SVD (gesvd): the baseline Hinton and Salakhutdinov's autoencoder
 * is measured against. The principal directions are the right singular vectors either of the d×d covariance
 * (one N·d² matrix product, then a small SVD) or of the centred N×d data itself; both are offered so the study
 * can time them. libnd4j's own {@code svd} custom op is not used: its Jacobi path took 14 s for a 200×200 matrix
 * here and its divide-and-conquer path crashed the JVM on 784×784.
 */
final class Pca {
    /** How the principal directions are computed. */
    enum Method {
        COVARIANCE("SVD of the 784×784 covariance"),
        DATA("SVD of the centred data matrix");

        final String description;

        Method(String description) {
            this.description = description;
        }
    }

    private final INDArray mean;
    private final INDArray components;
    private final double[] variances;
    private final double seconds;

    private Pca(INDArray mean, INDArray components, double[] variances, double seconds) {
        this.mean = mean;
        this.components = components;
        this.variances = variances;
        this.seconds = seconds;
    }

    /**
     * Fits all d components of the rows of {@code x} [N, d] (N ≥ d). The SVD runs in double: eigenvalues down to
     * 1e-7 of the largest matter for the discarded-variance identity, and float LAPACK is no faster here.
     */
    static Pca fit(INDArray x, Method method) {
        long start = System.nanoTime();
        long n = x.size(0);
        long d = x.size(1);
        if (n < d) {
            throw new IllegalArgumentException("PCA needs at least as many rows as columns, got " + n + "×" + d);
        }
        INDArray mean = x.mean(true, 0).castTo(DataType.FLOAT);
        INDArray centred = x.castTo(DataType.FLOAT).subRowVector(mean);
        INDArray s = Nd4j.create(DataType.DOUBLE, d);
        INDArray vt = Nd4j.create(DataType.DOUBLE, new long[] {d, d}, 'f');
        double[] variances;
        if (method == Method.COVARIANCE) {
            // The float gemm is the expensive part (N·d² multiply-adds); its sums are accurate to ~1e-6 relative.
            INDArray cov = centred.transpose().mmul(centred).castTo(DataType.DOUBLE).divi(n);
            Nd4j.getBlasWrapper().lapack().gesvd(cov.dup('f'), s, null, vt);
            variances = s.toDoubleVector();
        } else {
            Nd4j.getBlasWrapper().lapack().gesvd(centred.castTo(DataType.DOUBLE).dup('f'), s, null, vt);
            variances = s.mul(s).divi(n).toDoubleVector();
        }
        INDArray components = vt.transpose().castTo(DataType.FLOAT).dup('c');
        return new Pca(mean, components, variances, (System.nanoTime() - start) / 1e9);
    }

    /** Column j is the j-th principal direction, [d, d], in decreasing order of variance. */
    INDArray components() {
        return components;
    }

    /** The covariance's eigenvalues (1/N normalisation), largest first. */
    double[] variances() {
        return variances.clone();
    }

    double seconds() {
        return seconds;
    }

    /** The rows of {@code x} projected on the first {@code k} components and mapped back: mean + (x − mean)·W·Wᵀ. */
    INDArray reconstruct(INDArray x, int k) {
        INDArray w = components.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k));
        INDArray centred = x.castTo(DataType.FLOAT).subRowVector(mean);
        return centred.mmul(w).mmul(w.transpose()).addiRowVector(mean);
    }

    /**
     * The training-set reconstruction error per element that {@code k} components leave: the variance of the
     * discarded directions, Σ_{i ≥ k} λ_i / d. On the training data it equals {@link #reconstruct}'s MSE exactly.
     */
    double discardedVariancePerElement(int k) {
        double sum = 0;
        for (int i = k; i < variances.length; i++) {
            sum += variances[i];
        }
        return sum / variances.length;
    }

    /** The fraction of the total variance the first {@code k} components keep. */
    double explained(int k) {
        double total = 0;
        double kept = 0;
        for (int i = 0; i < variances.length; i++) {
            total += variances[i];
            kept += i < k ? variances[i] : 0;
        }
        return kept / total;
    }

    /** Mean squared difference over every element. */
    static double mse(INDArray a, INDArray b) {
        INDArray diff = a.castTo(DataType.FLOAT).sub(b.castTo(DataType.FLOAT));
        return diff.muli(diff).meanNumber().doubleValue();
    }
}

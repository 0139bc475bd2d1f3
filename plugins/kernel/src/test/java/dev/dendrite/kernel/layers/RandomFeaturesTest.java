package dev.dendrite.kernel.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.kernel.ArcCosineKernel;
import dev.dendrite.kernel.GaussianKernel;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The features' inner products approximate their kernels, with the error shrinking like 1/√D. */
class RandomFeaturesTest {
    private static final INDArray X = Init.normal(new Rng(11), DataType.DOUBLE, 0, 1, 40, 6);

    private static INDArray gram(Layer features) {
        try (var off = GradMode.off()) {
            INDArray z = features.forward(Tensor.of(X)).data();
            return z.mmul(z.transpose());
        }
    }

    private static double relativeError(INDArray approx, INDArray exact) {
        return approx.sub(exact).norm2Number().doubleValue() / exact.norm2Number().doubleValue();
    }

    @Test
    void fourierFeaturesApproximateTheGaussianKernel() {
        double gamma = 0.1;
        INDArray exact = GaussianKernel.matrix(X, X, gamma);
        double small = relativeError(gram(new RandomFourierFeatures(new RandomFourierFeatures.Config(6, 256, gamma,
                false), RbfTest.context(1))), exact);
        double large = relativeError(gram(new RandomFourierFeatures(new RandomFourierFeatures.Config(6, 16384,
                gamma, false), RbfTest.context(1))), exact);
        assertTrue(large < 0.03, "D=16384: relative error " + large);
        // 64× the features: the error should shrink about 8× (1/√D); allow 4–16×.
        double ratio = small / large;
        assertTrue(ratio > 4 && ratio < 16, "error ratio D=256 vs 16384: " + ratio);
    }

    @Test
    void arcCosineFeaturesApproximateTheirKernels() {
        for (int degree : new int[] {0, 1}) {
            INDArray exact = ArcCosineKernel.matrix(X, X, degree);
            double err = relativeError(gram(new ArcCosineFeatures(new ArcCosineFeatures.Config(6, 16384, degree),
                    RbfTest.context(2))), exact);
            assertTrue(err < 0.03, "degree " + degree + ": relative error " + err);
        }
    }

    @Test
    void exactKernelsHaveTheirClosedForms() {
        INDArray a = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 2}});
        // Orthogonal: θ = π/2. k0 = (π − π/2)/π = 1/2; k1 = (1/π)·1·2·(sin θ + (π−θ) cos θ) = 2/π.
        INDArray k0 = ArcCosineKernel.matrix(a, a, 0);
        INDArray k1 = ArcCosineKernel.matrix(a, a, 1);
        assertEquals(0.5, k0.getDouble(0, 1), 1e-12);
        assertEquals(1.0, k0.getDouble(1, 1), 1e-6);
        assertEquals(2 / Math.PI, k1.getDouble(0, 1), 1e-12);
        assertEquals(4.0, k1.getDouble(1, 1), 1e-6); // θ = 0: ‖x‖²
        assertEquals(Math.exp(-0.5 * 5), GaussianKernel.matrix(a, a, 0.5).getDouble(0, 1), 1e-12);
        // The median heuristic on three points at squared distances 1, 4, 9 (a line 0, 1, 3): median 4.
        INDArray line = Nd4j.createFromArray(new double[][] {{0}, {1}, {3}});
        assertEquals(0.25, GaussianKernel.medianGamma(line), 1e-12);
        assertEquals("arc-cosine kernel: degree must be 0 or 1, got 2",
                assertThrows(DendriteException.class, () -> ArcCosineKernel.matrix(a, a, 2)).getMessage());
        assertEquals("arc_cosine_features: degree must be 0 or 1, got 3", assertThrows(DendriteException.class,
                () -> new ArcCosineFeatures(new ArcCosineFeatures.Config(2, 4, 3), RbfTest.context(1))).getMessage());
    }
}

package dev.dendrite.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradClipTest {
    /** Leaves a = [1, 2] and b = [0.5] with gradients [3, 3]·scale and [4]·scale: a known global norm. */
    private static List<Tensor> withGradients(double scale) {
        Tensor a = Tensor.leaf(Nd4j.createFromArray(1.0, 2.0));
        Tensor b = Tensor.leaf(Nd4j.createFromArray(0.5));
        // d/da of scale·Σ(3a) = 3·scale per element; d/db of scale·4b = 4·scale.
        Tensor loss = F.add(F.sum(F.mul(a, F.scalar(a, 3 * scale)), false), F.sum(F.mul(b, F.scalar(b, 4 * scale)), false));
        loss.backward();
        return List.of(a, b);
    }

    @Test
    void scalesTheGlobalNormDownToTheLimitKeepingTheDirection() {
        List<Tensor> ps = withGradients(1);
        // Gradients [3, 3] and [4]: norm √(9 + 9 + 16) = √34.
        double norm = GradClip.clipNorm(ps, 1.0);
        assertEquals(Math.sqrt(34), norm, 1e-12);
        double f = 1.0 / (Math.sqrt(34) + 1e-6);
        assertArrayEquals(new double[] {3 * f, 3 * f}, ps.get(0).grad().toDoubleVector(), 1e-12);
        assertArrayEquals(new double[] {4 * f}, ps.get(1).grad().toDoubleVector(), 1e-12);
    }

    @Test
    void leavesSmallGradientsAlone() {
        List<Tensor> ps = withGradients(0.01);
        assertEquals(Math.sqrt(34) * 0.01, GradClip.clipNorm(ps, 1.0), 1e-12);
        assertArrayEquals(new double[] {0.03, 0.03}, ps.get(0).grad().toDoubleVector(), 1e-12);
    }

    @Test
    void reportsANonFiniteNormWithoutScaling() {
        List<Tensor> ps = withGradients(Double.POSITIVE_INFINITY);
        INDArray a = ps.get(0).grad().dup();
        INDArray b = ps.get(1).grad().dup();
        double norm = GradClip.clipNorm(ps, 1.0);
        assertTrue(Double.isNaN(norm) || Double.isInfinite(norm), "norm " + norm);
        // Nothing scaled: each gradient bit for bit as before (+inf stays +inf; a scaled one would be NaN or 0).
        Compare.assertBitEqual("gradient of a", ps.get(0).grad(), a);
        Compare.assertBitEqual("gradient of b", ps.get(1).grad(), b);
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipNorm(ps, 0));
    }
}

package dev.dendrite.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.GradCheck;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small, seeded float64 tensors and the assertions the engine's tests share. */
public final class TestTensors {
    private TestTensors() {}

    /** A float64 leaf of standard normal values from {@code seed}. */
    public static Tensor leaf(long seed, long... shape) {
        return scaledLeaf(seed, 1.0, shape);
    }

    /**
     * Normal values with standard deviation {@code scale}. GradCheck's difference quotient carries an
     * absolute error of about ulp(L)/2e-6 for a loss L = Σ y·R, so ops whose outputs grow with their
     * inputs' scale (products, matmul) are checked on small values to keep L, and that error, small.
     */
    public static Tensor scaledLeaf(long seed, double scale, long... shape) {
        Random r = new Random(seed);
        double[] v = new double[(int) Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * r.nextGaussian();
        }
        return leafOf(v, shape);
    }

    /** A float64 leaf of values in [0.5, 2.5): safe for log, sqrt, division and pow bases. */
    public static Tensor positiveLeaf(long seed, long... shape) {
        Random r = new Random(seed);
        double[] v = new double[(int) Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.5 + 2 * r.nextDouble();
        }
        return leafOf(v, shape);
    }

    /**
     * A float64 leaf of normal values scaled by {@code scale}, none closer than {@code margin} to any
     * of {@code kinks}: finite differences across a kink measure neither side's slope.
     */
    public static Tensor leafAwayFrom(long seed, double scale, double margin, double[] kinks, long... shape) {
        Random r = new Random(seed);
        double[] v = new double[(int) Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            double x;
            do {
                x = scale * r.nextGaussian();
            } while (near(x, kinks, margin));
            v[i] = x;
        }
        return leafOf(v, shape);
    }

    private static boolean near(double x, double[] kinks, double margin) {
        for (double k : kinks) {
            if (Math.abs(x - k) < margin) {
                return true;
            }
        }
        return false;
    }

    public static Tensor leafOf(double[] values, long... shape) {
        return Tensor.leaf(Nd4j.create(values, shape, DataType.DOUBLE));
    }

    public static Tensor constant(double[] values, long... shape) {
        return Tensor.of(Nd4j.create(values, shape, DataType.DOUBLE));
    }

    public static Tensor vector(double... values) {
        return constant(values, values.length);
    }

    public static Tensor indices(long[] values, long... shape) {
        return Tensor.of(Nd4j.createFromArray(values).reshape(shape));
    }

    public static Tensor mask(boolean[] values, long... shape) {
        return Tensor.of(Nd4j.createFromArray(values).reshape(shape));
    }

    /** GradCheck at its own tolerance (1e-6), and an explicit assertion on the worst error. */
    public static void assertGradientsMatch(String label, Map<String, Tensor> leaves, Supplier<Tensor> forward) {
        GradCheck.Result result = GradCheck.check(label, leaves, forward);
        assertTrue(result.worst() <= GradCheck.TOLERANCE, () -> label + ": worst error " + result.worst());
    }

    public static void assertShape(Tensor t, long... expected) {
        assertArrayEquals(expected, t.shape(), () -> "shape " + Arrays.toString(t.shape()));
    }

    /** Values in C order, each within {@code tol}. */
    public static void assertValues(Tensor t, double tol, double... expected) {
        INDArray flat = t.data().dup('c').reshape(t.data().length());
        assertEquals(expected.length, flat.length(), "element count of " + Arrays.toString(t.shape()));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], flat.getDouble(i), tol, "element " + i + " of " + flat);
        }
    }
}

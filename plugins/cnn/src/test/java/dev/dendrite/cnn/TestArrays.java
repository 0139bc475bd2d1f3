package dev.dendrite.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small tensors written out by value, and value assertions, for the CNN plugin's tests. */
public final class TestArrays {
    private TestArrays() {}

    public static INDArray array(DataType type, double[] values, long... shape) {
        assertEquals(Shapes.numel(shape), values.length, "values for shape " + Arrays.toString(shape));
        return Nd4j.createFromArray(values).castTo(type).reshape('c', shape);
    }

    public static Tensor constant(DataType type, double[] values, long... shape) {
        return Tensor.of(array(type, values, shape));
    }

    /** Standard normal values from {@code seed}. */
    public static INDArray normal(DataType type, long seed, long... shape) {
        Random r = new Random(seed);
        double[] v = new double[(int) Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return array(type, v, shape);
    }

    public static void assertValues(long[] shape, double[] expected, INDArray actual, double tol) {
        assertArrayEquals(shape, actual.shape(), "shape");
        double[] got = actual.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            int at = i;
            assertEquals(e, got[i], tol, () -> "element " + at + ": expected " + Arrays.toString(expected) + ", got "
                    + Arrays.toString(got));
        }
    }
}

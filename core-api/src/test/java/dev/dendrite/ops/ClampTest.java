package dev.dendrite.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.tensor.ShapeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The activation a primitive applies to its own output: values, its gradient's bounds, bad bounds. */
class ClampTest {
    private static INDArray of(DataType type, double... v) {
        return Nd4j.createFromArray(v).castTo(type);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void clampsInPlaceOnEitherSideOrBoth(DataType type) {
        INDArray y = of(type, -2, 0, 0.5, 6, 9);
        assertArrayEquals(new double[] {0, 0, 0.5, 6, 6}, new Clamp(0, 6).applyInPlace(y).toDoubleVector());
        assertArrayEquals(new double[] {0, 0, 0.5, 6, 9}, Clamp.RELU.applyInPlace(of(type, -2, 0, 0.5, 6, 9))
                .toDoubleVector());
        assertArrayEquals(new double[] {-2, 0, 0.5, 1, 1}, new Clamp(Double.NEGATIVE_INFINITY, 1)
                .applyInPlace(of(type, -2, 0, 0.5, 6, 9)).toDoubleVector());
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void theGradientPassesOnlyStrictlyInsideTheBounds(DataType type) {
        // From the output alone: an output on a bound came from a value at or past it, PyTorch's ReLU6 rule.
        INDArray y = of(type, 0, 1e-3, 3, 6 - 1e-3, 6);
        INDArray g = of(type, 1, 2, 3, 4, 5);
        assertArrayEquals(new double[] {0, 2, 3, 4, 0}, new Clamp(0, 6).gradient(y, g).toDoubleVector());
        assertArrayEquals(new double[] {0, 2, 3, 4, 5}, Clamp.RELU.gradient(y, g).toDoubleVector());
    }

    @Test
    void boundsThatAreNoRangeAreRefused() {
        ShapeException e = assertThrows(ShapeException.class, () -> new Clamp(6, 0));
        assertEquals("clamp: min 6.0 must be <= max 0.0 (and neither NaN)", e.getMessage());
        assertThrows(ShapeException.class, () -> new Clamp(Double.NaN, 1));
        assertTrue(new Clamp(1, 1).max() == 1);
    }
}

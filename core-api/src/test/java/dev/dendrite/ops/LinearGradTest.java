package dev.dendrite.ops;

import static dev.dendrite.ops.TestTensors.assertGradientsMatch;
import static dev.dendrite.ops.TestTensors.assertShape;
import static dev.dendrite.ops.TestTensors.leaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** F.linear on sequences ([N, T, in] and deeper): one GEMM over all rows, the same values as per-row Gemm. */
class LinearGradTest {
    @Test
    void rankThreeAndFourAgreeWithTheTwoDimensionalGemmRowByRow() {
        Tensor w = leaf(91, 5, 4);
        Tensor b = leaf(92, 5);
        for (long[] shape : new long[][] {{2, 3, 4}, {2, 1, 3, 4}}) {
            Tensor x = leaf(93, shape);
            Tensor y = F.linear(x, w, b);
            long rows = x.data().length() / 4;
            Tensor flat = F.linear(F.reshape(x, rows, 4), w, b);
            long[] expected = shape.clone();
            expected[expected.length - 1] = 5;
            assertShape(y, expected);
            assertArrayEquals(flat.data().ravel().toDoubleVector(), y.data().ravel().toDoubleVector(), 1e-12);
        }
    }

    @Test
    void gradientsOfInputWeightAndBias() {
        Tensor x = leaf(94, 2, 3, 4);
        Tensor w = leaf(95, 5, 4);
        Tensor b = leaf(96, 5);
        assertGradientsMatch("linear rank 3", Map.of("x", x, "w", w, "b", b), () -> F.linear(x, w, b));
        assertGradientsMatch("linear rank 3 no bias", Map.of("x", x, "w", w), () -> F.linear(x, w, null));
    }

    @Test
    void aMismatchedWeightIsRefusedWithBothShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> F.linear(leaf(97, 2, 3, 4), leaf(98, 5, 3), null));
        assertEquals("linear: expected x [..., in] of rank >= 3, weight [out, in], bias [out], got x [2, 3, 4], "
                + "weight [5, 3]", e.getMessage());
    }
}

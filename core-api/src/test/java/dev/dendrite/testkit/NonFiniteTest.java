package dev.dendrite.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Non-finite values planted at the first, a middle and the last position must fail every check of the kit.
 * Before, GradCheck forgot a NaN error at the next finite one and ND4J's amaxNumber skips a NaN that is not
 * first, so a gradient [NaN, 0, ...] or a difference [1, NaN, 2] passed.
 */
class NonFiniteTest {
    private static Tensor leaf() {
        return Tensor.leaf(Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0));
    }

    @ParameterizedTest(name = "{1} at {0}")
    @CsvSource({"0, NaN", "3, NaN", "6, NaN", "0, Infinity", "3, -Infinity", "6, Infinity"})
    void gradCheckFailsOnANonFiniteAnalyticGradient(long index, double value) {
        Tensor x = leaf();
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.check("planted", Map.of("x", x), () -> new Planted(index, value, false).apply1(x)));
        assertTrue(e.getMessage().contains("not finite at flat index " + index), e.getMessage());
    }

    @ParameterizedTest(name = "{1} at {0}")
    @CsvSource({"0, NaN", "3, NaN", "6, Infinity"})
    void gradCheckFailsOnANonFiniteForward(long index, double value) {
        Tensor x = leaf();
        // The output itself is non-finite, so the numeric derivative is: caught at the first element it touches.
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.check("planted", Map.of("x", x), () -> new Planted(index, value, true).apply1(x)));
        assertTrue(e.getMessage().contains("not finite at flat index"), e.getMessage());
    }

    @Test
    void gradCheckPassesTheUnplantedFunction() {
        Tensor x = leaf();
        GradCheck.Result r = GradCheck.check("clean", Map.of("x", x), () -> new Planted(-1, 0, false).apply1(x));
        assertTrue(r.worst() <= GradCheck.TOLERANCE, "worst " + r.worst());
    }

    @ParameterizedTest(name = "{1} at {0}")
    @CsvSource({"0, NaN", "4, NaN", "8, NaN", "0, Infinity", "4, -Infinity", "8, Infinity"})
    void maxAbsDiffFailsOnANonFiniteValueInEitherArray(int index, double value) {
        INDArray clean = Nd4j.arange(9).castTo(DataType.FLOAT).reshape(3, 3);
        INDArray planted = clean.dup();
        planted.putScalar(index, value);
        AssertionError a = assertThrows(AssertionError.class, () -> Compare.maxAbsDiff("y", planted, clean));
        assertTrue(a.getMessage().contains("y (actual): non-finite value") && a.getMessage().contains("index " + index),
                a.getMessage());
        AssertionError e = assertThrows(AssertionError.class, () -> Compare.maxAbsDiff("y", clean, planted));
        assertTrue(e.getMessage().contains("y (expected)") && e.getMessage().contains("index " + index), e.getMessage());
        assertThrows(AssertionError.class, () -> Compare.assertClose("y", planted, clean, 1e9));
        assertThrows(AssertionError.class, () -> Compare.relDiff("y", clean, planted));
        assertThrows(AssertionError.class, () -> Compare.assertFinite("y", planted));
    }

    @Test
    void maxAbsDiffMeasuresAndChecksShapes() {
        INDArray a = Nd4j.createFromArray(1.0, -2.0, 3.0);
        INDArray b = Nd4j.createFromArray(1.5, -2.0, 1.0);
        assertEquals(2.0, Compare.maxAbsDiff("v", a, b));
        assertEquals(2.0 / 3.0, Compare.relDiff("v", b, a), 1e-15);
        assertThrows(AssertionError.class, () -> Compare.maxAbsDiff("v", a, a.reshape(1, 3)));
        assertThrows(AssertionError.class, () -> Compare.assertClose("v", a, b, 1.9));
        assertDoesNotThrow(() -> Compare.assertClose("v", a, b, 2.0));
    }

    @Test
    void bitEqualityIsExactWhereINDArrayEqualsIsNot() {
        INDArray a = Nd4j.createFromArray(1.0f, 2.0f);
        INDArray b = Nd4j.createFromArray(1.0f, Math.nextUp(2.0f));
        assertTrue(a.equals(b), "INDArray.equals has a tolerance: the reason assertBitEqual exists");
        AssertionError e = assertThrows(AssertionError.class, () -> Compare.assertBitEqual("y", a, b));
        assertTrue(e.getMessage().contains("flat index 1"), e.getMessage());
        assertThrows(AssertionError.class, () -> Compare.assertBitEqual("y", a, a.castTo(DataType.DOUBLE)));
        assertDoesNotThrow(() -> Compare.assertBitEqual("y", a, a.dup()));
        INDArray nan = Nd4j.createFromArray(Float.NaN);
        assertDoesNotThrow(() -> Compare.assertBitEqual("y", nan, nan.dup()));
    }
}

package dev.dendrite.onnxbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxImportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code dendrite validate}'s per-output comparison ({@link Validation#diff}): a NaN or an infinity on one side
 * only is a disagreement wherever it sits. ND4J's {@code amaxNumber()} skips a NaN that is not at index 0, so a
 * NaN in the middle or at the end is exactly what a comparison built on it would miss.
 */
class ValidationDiffTest {
    private static final double[] VALUES = {1.0, -2.0, 0.5, 3.0, -0.25, 2.0, 1.5};

    private static INDArray matrix(double... v) {
        return Nd4j.createFromArray(v).reshape(1, v.length).castTo(DataType.FLOAT);
    }

    private static double[] with(int at, double value) {
        double[] v = VALUES.clone();
        v[at] = value;
        return v;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 6})
    void aNanOnOneSideIsAnInfiniteDifferenceWhereverItIs(int at) {
        INDArray clean = matrix(VALUES);
        INDArray nan = matrix(with(at, Double.NaN));
        for (Validation.OutputDiff d : new Validation.OutputDiff[] {Validation.diff("y", nan, clean),
                Validation.diff("y", clean, nan)}) {
            assertEquals(Double.POSITIVE_INFINITY, d.maxAbsDiff(), "NaN at " + at);
            assertEquals(Double.POSITIVE_INFINITY, d.relDiff(), "NaN at " + at);
            assertFalse(d.ok(), "NaN at " + at);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 6})
    void anInfinityOnOneSideOrTheOppositeInfinityDisagrees(int at) {
        INDArray clean = matrix(VALUES);
        INDArray inf = matrix(with(at, Double.POSITIVE_INFINITY));
        INDArray negInf = matrix(with(at, Double.NEGATIVE_INFINITY));
        INDArray nan = matrix(with(at, Double.NaN));
        assertFalse(Validation.diff("y", inf, clean).ok());
        assertFalse(Validation.diff("y", clean, negInf).ok());
        assertFalse(Validation.diff("y", inf, negInf).ok());
        assertFalse(Validation.diff("y", nan, inf).ok());
        assertEquals(Double.POSITIVE_INFINITY, Validation.diff("y", inf, negInf).maxAbsDiff());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 6})
    void theSameNonFiniteValueOnBothSidesAgrees(int at) {
        double[] ours = with(at, Double.NaN);
        ours[(at + 1) % ours.length] += 3e-5;
        Validation.OutputDiff bothNan = Validation.diff("y", matrix(ours), matrix(with(at, Double.NaN)));
        assertEquals(3e-5, bothNan.maxAbsDiff(), 1e-6, "the finite elements are still compared");
        assertTrue(bothNan.ok());
        for (double inf : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            Validation.OutputDiff same = Validation.diff("y", matrix(with(at, inf)), matrix(with(at, inf)));
            assertEquals(0.0, same.maxAbsDiff(), "same infinity at " + at);
            assertEquals(0.0, same.relDiff());
            assertTrue(same.ok());
        }
    }

    @Test
    void finiteOutputsGiveTheMaxAbsAndRelativeDifference() {
        double[] ours = VALUES.clone();
        ours[6] += 0.03;
        ours[2] -= 0.01;
        Validation.OutputDiff d = Validation.diff("y", Nd4j.createFromArray(ours), Nd4j.createFromArray(VALUES));
        assertEquals("y", d.name());
        assertArrayEquals(new long[] {7}, d.shape());
        assertEquals(0.03, d.maxAbsDiff(), 1e-12);
        assertEquals(0.03 / 3.0, d.relDiff(), 1e-12, "relative to max |expected| = 3");
        assertFalse(d.ok(), "0.03 > " + Validation.TOLERANCE);
        Validation.OutputDiff empty = Validation.diff("e", Nd4j.create(DataType.FLOAT, 0, 3),
                Nd4j.create(DataType.FLOAT, 0, 3));
        assertEquals(0.0, empty.maxAbsDiff());
        assertTrue(empty.ok());
    }

    @Test
    void differentShapesAreAnError() {
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> Validation.diff("y", Nd4j.zeros(DataType.FLOAT, 2, 3), Nd4j.zeros(DataType.FLOAT, 3, 2)));
        assertEquals("output 'y': Dendrite's shape [2, 3] differs from ONNX Runtime's [3, 2]", e.getMessage());
    }
}

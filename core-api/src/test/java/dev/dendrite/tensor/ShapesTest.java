package dev.dendrite.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Broadcasting, its adjoint, and the axis checks every primitive relies on. */
class ShapesTest {

    @Test
    void broadcastFollowsNumPy() {
        assertArrayEquals(new long[] {2, 3, 4}, Shapes.broadcast("t", new long[] {2, 3, 4}, new long[] {3, 1}));
        assertArrayEquals(new long[] {2, 3, 4}, Shapes.broadcast("t", new long[] {}, new long[] {2, 3, 4}));
        assertArrayEquals(new long[] {5, 3, 4}, Shapes.broadcast("t", new long[] {5, 1, 4}, new long[] {3, 1}));
        assertArrayEquals(new long[] {2, 0}, Shapes.broadcast("t", new long[] {2, 1}, new long[] {0}));
    }

    @Test
    void broadcastFailureNamesTheOpAndBothShapes() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Shapes.broadcast("myop", new long[] {2, 3}, new long[] {4}));
        assertTrue(e.getMessage().startsWith("myop:"), e.getMessage());
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void unbroadcastSumsAddedAndStretchedDims() {
        INDArray g = Nd4j.ones(DataType.DOUBLE, 2, 3, 4);
        INDArray toCol = Shapes.unbroadcast(g, new long[] {3, 1});
        assertArrayEquals(new long[] {3, 1}, toCol.shape());
        assertArrayEquals(new double[] {8, 8, 8}, toCol.reshape(3).toDoubleVector());
        INDArray toScalar = Shapes.unbroadcast(g, new long[] {});
        assertEquals(0, toScalar.rank());
        assertEquals(24.0, toScalar.getDouble(0));
        assertSame(g, Shapes.unbroadcast(g, new long[] {2, 3, 4}));
    }

    @Test
    void axisMapsNegativesAndRejectsOutOfRange() {
        assertEquals(2, Shapes.axis("t", -1, 3));
        assertEquals(0, Shapes.axis("t", -3, new long[] {2, 3, 4}));
        ShapeException e = assertThrows(ShapeException.class, () -> Shapes.axis("t", 3, new long[] {2, 3, 4}));
        assertTrue(e.getMessage().contains("axis 3") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        assertThrows(ShapeException.class, () -> Shapes.axis("t", -4, 3));
    }

    @Test
    void axesAreSortedAndMustBeDistinct() {
        assertArrayEquals(new int[] {0, 2}, Shapes.axes("t", new int[] {-1, 0}, new long[] {2, 3, 4}));
        assertArrayEquals(new int[] {1, 2}, Shapes.axes("t", new int[] {2, 1}, 3));
        ShapeException e = assertThrows(ShapeException.class,
                () -> Shapes.axes("t", new int[] {1, -2}, new long[] {2, 3, 4}));
        assertTrue(e.getMessage().contains("repeated"), e.getMessage());
    }

    @Test
    void sameFloatingRejectsMixedAndIntegerTypes() {
        INDArray d = Nd4j.zeros(DataType.DOUBLE, 2);
        assertEquals(DataType.DOUBLE, Shapes.sameFloating("t", d, d));
        ShapeException mixed = assertThrows(ShapeException.class,
                () -> Shapes.sameFloating("t", d, Nd4j.zeros(DataType.FLOAT, 3)));
        assertTrue(mixed.getMessage().contains("DOUBLE [2]") && mixed.getMessage().contains("FLOAT [3]"),
                mixed.getMessage());
        assertThrows(ShapeException.class, () -> Shapes.sameFloating("t", Nd4j.zeros(DataType.INT32, 2)));
    }
}

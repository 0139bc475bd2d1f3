package dev.dendrite.onnxbridge.ops.shape;

import static dev.dendrite.onnxbridge.ops.shape.Nodes.assertValues;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.iota;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.longs;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.op;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.run1;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Shape's start/end clamping, ConstantOfShape's dtypes, Range of integers and floats. */
class ShapeRangeTest {
    private final ShapeConverter c = new ShapeConverter();

    @Test
    void shapeClampsStartAndEnd() {
        Tensor x = iota(3, 4, 5);
        Tensor y = run1(c, op("Shape", 15, 1, "start", -2L, "end", 100L), x);
        assertEquals(DataType.INT64, y.dtype());
        assertValues(y, shape(2), 4, 5);
        assertValues(run1(c, op("Shape", 15, 1, "start", 2L, "end", 1L), x), shape(0));
        assertValues(run1(c, op("Shape", 13, 1), Tensor.of(Nd4j.scalar(1f))), shape(0));
    }

    @Test
    void constantOfShapeTakesTheValuesDtype() {
        Tensor y = run1(c, op("ConstantOfShape", 13, 1, "value", Nd4j.createFromArray(new long[] {1L << 40})),
                longs(2, 1));
        assertEquals(DataType.INT64, y.dtype());
        assertEquals(1L << 40, y.data().getLong(1));
        Tensor z = run1(c, op("ConstantOfShape", 13, 1), longs(2, 0));
        assertEquals(DataType.FLOAT, z.dtype());
        assertValues(z, shape(2, 0));
        assertValues(run1(c, op("ConstantOfShape", 13, 1, "value", Nd4j.createFromArray(2.5)), longs()), shape(),
                2.5);
    }

    @Test
    void rangeOfIntegersAndFloats() {
        Tensor y = run1(c, op("Range", 11, 1), Tensor.of(Nd4j.scalar(10)), Tensor.of(Nd4j.scalar(3)),
                Tensor.of(Nd4j.scalar(-3)));
        assertEquals(DataType.INT32, y.dtype());
        assertValues(y, shape(3), 10, 7, 4);
        assertValues(run1(c, op("Range", 11, 1), Tensor.of(Nd4j.scalar(1L)), Tensor.of(Nd4j.scalar(1L)),
                Tensor.of(Nd4j.scalar(2L))), shape(0));
        Tensor f = run1(c, op("Range", 11, 1), Tensor.of(Nd4j.scalar(0.5)), Tensor.of(Nd4j.scalar(2.0)),
                Tensor.of(Nd4j.scalar(0.5)));
        assertEquals(DataType.DOUBLE, f.dtype());
        assertValues(f, shape(3), 0.5, 1.0, 1.5);
    }
}

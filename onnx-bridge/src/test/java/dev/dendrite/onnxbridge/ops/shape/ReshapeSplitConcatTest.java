package dev.dendrite.onnxbridge.ops.shape;

import static dev.dendrite.onnxbridge.ops.shape.Nodes.assertShape;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.assertValues;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.iota;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.longs;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.op;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.run;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.run1;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Reshape, Squeeze/Unsqueeze across opsets, Concat of integer tensors, Split's three ways of sizing. */
class ReshapeSplitConcatTest {
    private final ReshapeConverter reshape = new ReshapeConverter();
    private final ConcatSplitConverter concatSplit = new ConcatSplitConverter();
    private final SliceGatherConverter sliceGather = new SliceGatherConverter();
    private final TransposeConverter transpose = new TransposeConverter();

    @Test
    void reshapeCopiesZerosUnlessAllowzeroAndInfersMinusOne() {
        Tensor x = iota(2, 3, 4);
        assertShape(run1(reshape, op("Reshape", 13, 1), x, longs(0, -1, 2)), 2, 6, 2);
        Tensor empty = Tensor.of(org.nd4j.linalg.factory.Nd4j.create(DataType.FLOAT, 0, 3, 4));
        assertShape(run1(reshape, op("Reshape", 14, 1, "allowzero", 1L), empty, longs(3, 4, 0)), 3, 4, 0);
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> run1(reshape, op("Reshape", 14, 1, "allowzero", 1L), x, longs(0, 24)));
        assertTrue(e.getMessage().contains("node_reshape"), e.getMessage());
        assertThrows(OnnxImportException.class, () -> run1(reshape, op("Reshape", 13, 1), x, longs(-1, -1)));
        assertThrows(OnnxImportException.class, () -> run1(reshape, op("Reshape", 13, 1), x, longs(5, -1)));
    }

    @Test
    void squeezeAndUnsqueezeReadAxesFromTheAttributeBeforeOpset13() {
        Tensor x = iota(1, 3, 1, 5);
        assertShape(run1(reshape, op("Squeeze", 11, 1, "axes", new long[] {-2}), x), 1, 3, 5);
        assertShape(run1(reshape, op("Squeeze", 11, 1), x), 3, 5);
        assertShape(run1(reshape, op("Squeeze", 13, 1), x, longs(0)), 3, 1, 5);
        assertThrows(OnnxImportException.class, () -> run1(reshape, op("Squeeze", 13, 1), x, longs(1)));
        assertShape(run1(reshape, op("Unsqueeze", 11, 1, "axes", new long[] {5, 0}), x), 1, 1, 3, 1, 5, 1);
        assertShape(run1(reshape, op("Unsqueeze", 13, 1), x, longs(-1, 1)), 1, 1, 3, 1, 5, 1);
        assertThrows(OnnxImportException.class, () -> run1(reshape, op("Unsqueeze", 13, 1), x, longs(6)));
        assertThrows(OnnxImportException.class, () -> run1(reshape, op("Unsqueeze", 13, 1), x, longs(1, 1)));
    }

    @Test
    void flattenAndTransposeCheckTheirAttributes() {
        Tensor x = iota(2, 3, 4);
        assertShape(run1(reshape, op("Flatten", 13, 1, "axis", 3L), x), 24, 1);
        assertThrows(OnnxImportException.class, () -> run1(reshape, op("Flatten", 13, 1, "axis", 4L), x));
        assertValues(run1(transpose, op("Transpose", 13, 1, "perm", new long[] {1, 0}), iota(2, 3)), shape(3, 2),
                0, 3, 1, 4, 2, 5);
        assertThrows(OnnxImportException.class,
                () -> run1(transpose, op("Transpose", 13, 1, "perm", new long[] {0, 0, 1}), x));
    }

    @Test
    void concatJoinsInt64ShapeVectors() {
        Tensor y = run1(concatSplit, op("Concat", 13, 1, "axis", 0L), longs(2, 3), longs(4));
        assertEquals(DataType.INT64, y.dtype());
        assertValues(y, shape(3), 2, 3, 4);
        assertThrows(OnnxImportException.class,
                () -> run1(concatSplit, op("Concat", 13, 1, "axis", 0L), iota(2, 3), iota(2, 2)));
        assertThrows(OnnxImportException.class,
                () -> run1(concatSplit, op("Concat", 13, 1, "axis", 2L), iota(2, 3), iota(2, 3)));
    }

    @Test
    void splitSizesComeFromAttributeInputOrNumOutputs() {
        Tensor x = iota(7);
        Tensor[] a = run(concatSplit, op("Split", 11, 2, "split", new long[] {3, 4}), x);
        assertValues(a[1], shape(4), 3, 4, 5, 6);
        Tensor[] b = run(concatSplit, op("Split", 13, 2), x, longs(5, 2));
        assertValues(b[1], shape(2), 5, 6);
        Tensor[] c = run(concatSplit, op("Split", 18, 3, "num_outputs", 3L), x);
        assertShape(c[0], 3);
        assertShape(c[2], 1);
        assertThrows(OnnxImportException.class, () -> run(concatSplit, op("Split", 13, 2), x));
        assertThrows(OnnxImportException.class, () -> run(concatSplit, op("Split", 13, 2), x, longs(5, 3)));
        assertThrows(OnnxImportException.class, () -> run(concatSplit, op("Split", 13, 2), x, longs(8, -1)));
    }

    @Test
    void sliceChecksItsArgumentsAndGatherItsIndices() {
        Tensor x = iota(4, 5);
        assertValues(run1(sliceGather, op("Slice", 13, 1), x, longs(-1, 100), longs(-100, -100), longs(0, 1),
                longs(-2, -2)), shape(2, 3), 19, 17, 15, 9, 7, 5);
        assertValues(run1(sliceGather, op("Slice", 9, 1, "starts", new long[] {1}, "ends", new long[] {3},
                "axes", new long[] {1}), iota(2, 4)), shape(2, 2), 1, 2, 5, 6);
        assertThrows(OnnxImportException.class,
                () -> run1(sliceGather, op("Slice", 13, 1), x, longs(0), longs(1), longs(0), longs(0)));
        assertThrows(OnnxImportException.class,
                () -> run1(sliceGather, op("Slice", 13, 1), x, longs(0, 0), longs(1)));
        assertThrows(OnnxImportException.class,
                () -> run1(sliceGather, op("Slice", 13, 1), x, longs(0, 0), longs(1, 1), longs(1, -1)));
        assertValues(run1(sliceGather, op("Gather", 13, 1, "axis", 1L), x, longs(-1, 0)), shape(4, 2),
                4, 0, 9, 5, 14, 10, 19, 15);
        assertThrows(OnnxImportException.class,
                () -> run1(sliceGather, op("Gather", 13, 1, "axis", 1L), x, longs(5)));
        assertThrows(OnnxImportException.class,
                () -> run1(sliceGather, op("Gather", 13, 1, "axis", 2L), x, longs(0)));
    }
}

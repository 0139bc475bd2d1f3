package dev.dendrite.onnxbridge.ops.shape;

import static dev.dendrite.onnxbridge.ops.shape.Nodes.assertValues;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.iota;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.longs;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.op;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.run;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.run1;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Pad's modes against NumPy's np.pad, and TopK's order (by value, ties to the lower index). */
class PadTopKTest {
    private final PadConverter pad = new PadConverter();
    private final TopKConverter topK = new TopKConverter();

    @Test
    void reflectMatchesNumpy() {
        // np.pad(np.arange(6).reshape(2, 3), ((1, 1), (2, 3)), 'reflect')
        assertValues(run1(pad, op("Pad", 13, 1, "mode", "reflect"), iota(2, 3), longs(1, 2, 1, 3)), shape(4, 8),
                5, 4, 3, 4, 5, 4, 3, 4, 2, 1, 0, 1, 2, 1, 0, 1, 5, 4, 3, 4, 5, 4, 3, 4, 2, 1, 0, 1, 2, 1, 0, 1);
        // np.pad(np.arange(3), 5, 'reflect'): pads wider than the axis reflect again
        assertValues(run1(pad, op("Pad", 13, 1, "mode", "reflect"), iota(3), longs(5, 5)), shape(13),
                1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1);
    }

    @Test
    void wrapAndEdgeMatchNumpyAndKeepInt32() {
        // np.pad(np.arange(6).reshape(2, 3), ((0, 1), (4, 0)), 'wrap'). (With pads on both sides wider than
        // the axis NumPy stops being periodic; we stay periodic.)
        assertValues(run1(pad, op("Pad", 19, 1, "mode", "wrap"), iota(2, 3), longs(0, 4, 1, 0)), shape(3, 7),
                2, 0, 1, 2, 0, 1, 2, 5, 3, 4, 5, 3, 4, 5, 2, 0, 1, 2, 0, 1, 2);
        Tensor y = run1(pad, op("Pad", 13, 1, "mode", "edge"), iota(DataType.INT32, 2, 3), longs(1, 0, 0, 2));
        assertEquals(DataType.INT32, y.dtype());
        assertValues(y, shape(3, 5), 0, 1, 2, 2, 2, 0, 1, 2, 2, 2, 3, 4, 5, 5, 5);
        assertThrows(OnnxImportException.class,
                () -> run1(pad, op("Pad", 18, 1, "mode", "wrap"), iota(2, 3), longs(0, 4, 1, 1)));
    }

    @Test
    void constantModeCropsNegativePadsAndTakesAxesAndValueInputs() {
        Tensor value = Tensor.of(Nd4j.scalar(DataType.FLOAT, 9f));
        // axis 1 only: 1 before, -1 after (crop the last column)
        assertValues(run1(pad, op("Pad", 18, 1), iota(2, 3), longs(1, -1), value, longs(-1)), shape(2, 3),
                9, 0, 1, 9, 3, 4);
        assertValues(run1(pad, op("Pad", 2, 1, "pads", new long[] {0, 1, 0, 0}, "value", 7.0), iota(1, 2)),
                shape(1, 3), 7, 0, 1);
        assertThrows(OnnxImportException.class, () -> run1(pad, op("Pad", 13, 1), iota(2, 3), longs(1, 1)));
        assertThrows(OnnxImportException.class,
                () -> run1(pad, op("Pad", 13, 1), iota(2, 3), longs(0, -2, 0, -2)));
        assertThrows(OnnxImportException.class,
                () -> run1(pad, op("Pad", 13, 1, "mode", "mirror"), iota(2, 3), longs(0, 0, 0, 0)));
    }

    @Test
    void topKBreaksTiesTowardsTheLowerIndex() {
        Tensor x = Tensor.of(Nd4j.createFromArray(new float[][] {{1, 3, 3, 2, 3}, {5, 5, 1, 5, 0}}));
        Tensor[] big = run(topK, op("TopK", 11, 2), x, longs(3));
        assertValues(big[0], shape(2, 3), 3, 3, 3, 5, 5, 5);
        assertEquals(DataType.INT64, big[1].dtype());
        assertValues(big[1], shape(2, 3), 1, 2, 4, 0, 1, 3);
        Tensor[] small = run(topK, op("TopK", 11, 2, "largest", 0L, "axis", 0L), x, longs(1));
        assertValues(small[0], shape(1, 5), 1, 3, 1, 2, 0);
        assertValues(small[1], shape(1, 5), 0, 0, 1, 0, 1);
        Tensor[] old = run(topK, op("TopK", 9, 2, "k", 2L), x);
        assertValues(old[1], shape(2, 2), 1, 2, 0, 1);
        Tensor[] none = run(topK, op("TopK", 11, 2), x, longs(0));
        assertValues(none[0], shape(2, 0));
        assertThrows(OnnxImportException.class, () -> run(topK, op("TopK", 11, 2), x, longs(6)));
    }

    @Test
    void topKExportsItselfAsATopKNode() {
        java.util.List<dev.dendrite.onnx.OnnxNode> nodes = new java.util.ArrayList<>();
        dev.dendrite.onnx.OnnxBuilder b = new dev.dendrite.onnx.OnnxBuilder() {
            @Override
            public int opset() {
                return 17;
            }

            @Override
            public void node(dev.dendrite.onnx.OnnxNode node) {
                nodes.add(node);
            }

            @Override
            public String fresh(String hint) {
                return hint;
            }

            @Override
            public String constant(org.nd4j.linalg.api.ndarray.INDArray value) {
                return "c";
            }

            @Override
            public String int64s(long... values) {
                return "k" + values[0];
            }
        };
        new TopKFunction(0, 2, false).toOnnx(b, new String[] {"x"}, new String[] {"v", "i"});
        assertEquals("TopK", nodes.get(0).opType());
        assertEquals(java.util.List.of("x", "k2"), nodes.get(0).inputs());
        assertEquals(0L, nodes.get(0).attributes().get("largest"));
    }
}

package dev.dendrite.onnxbridge.ops.shape;

import static dev.dendrite.onnxbridge.ops.shape.Nodes.leaf;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.op;
import static dev.dendrite.onnxbridge.ops.shape.Nodes.run1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.onnxbridge.ops.math.TriluConverter;
import dev.dendrite.onnxbridge.ops.rnn.OneNode;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.GradCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ScatterElements / ScatterND (what torch 1.13 emits for pack_padded_sequence(enforce_sorted=False) and index
 * assignment) and Trilu (torch.triu causal masks): agreement with ONNX Runtime, finite-difference gradients, and
 * refusals that name the node before any native call.
 */
class ScatterTriluTest {
    private static final DataType FL = DataType.FLOAT;

    private static void agree(String type, int opset, Map<String, Object> attrs, Object... in) {
        ModelProto m = OneNode.model(type, opset, attrs, new String[] {"y"}, in);
        INDArray[] feed = new INDArray[in.length / 2];
        for (int i = 0; i < feed.length; i++) {
            feed[i] = (INDArray) in[2 * i + 1];
        }
        INDArray expected;
        try (OrtRunner ort = new OrtRunner(m, 1)) {
            expected = ort.run(feed)[0];
        }
        ImportedModel model = OneNode.load(m);
        INDArray actual;
        try (var off = GradMode.off()) {
            actual = model.run(OneNode.feed(false, feed))[0].data();
        }
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()));
        // Element by element so that -inf matches -inf (a causal mask) and a NaN anywhere fails.
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').reshape(new long[] {expected.length()}).toDoubleVector();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').reshape(new long[] {actual.length()}).toDoubleVector();
        for (int i = 0; i < e.length; i++) {
            boolean same = Double.isInfinite(e[i]) ? e[i] == a[i] : Math.abs(e[i] - a[i]) <= 1e-6;
            assertTrue(same, type + " " + attrs + ": element " + i + " is " + a[i] + ", ONNX Runtime " + e[i]);
        }
    }

    @Test
    void scatterElementsAgreesWithOnnxRuntime() {
        INDArray data = OneNode.normal(1, FL, 1, 3, 4);
        // Row 0 writes column 3 twice (3 and -1): the last write wins, as in ONNX Runtime.
        INDArray idx = Nd4j.createFromArray(new long[][] {{3, -1}, {0, 2}, {1, -4}});
        INDArray upd = OneNode.normal(2, FL, 1, 3, 2);
        agree("ScatterElements", 13, Map.of("axis", 1L), "data", data, "indices", idx, "updates", upd);
        INDArray idx0 = Nd4j.createFromArray(new long[][] {{2, 0, 1, 0}});
        INDArray upd0 = OneNode.normal(3, FL, 1, 1, 4);
        agree("ScatterElements", 16, Map.of("axis", 0L, "reduction", "add"), "data", data, "indices", idx0,
                "updates", upd0);
    }

    @Test
    void scatterNdAgreesWithOnnxRuntime() {
        INDArray data = OneNode.normal(4, FL, 1, 2, 3, 4);
        // Whole rows (k = 2) and single elements (k = 3), negative indices included.
        agree("ScatterND", 13, Map.of(), "data", data, "indices", Nd4j.createFromArray(new long[][] {{1, 2}, {0, -3}}),
                "updates", OneNode.normal(5, FL, 1, 2, 4));
        agree("ScatterND", 16, Map.of("reduction", "add"), "data", data, "indices",
                Nd4j.createFromArray(new long[][] {{1, 2, 3}, {1, 2, 3}, {0, 0, 0}}), "updates",
                OneNode.normal(6, FL, 1, 3));
    }

    @Test
    void triluAgreesWithOnnxRuntimeOnCausalMasks() {
        INDArray minusInf = Nd4j.valueArrayOf(new long[] {5, 5}, Float.NEGATIVE_INFINITY, FL);
        agree("Trilu", 14, Map.of(), "x", minusInf, "k", Nd4j.scalar(1L));
        INDArray x = OneNode.normal(7, FL, 1, 2, 3, 5);
        agree("Trilu", 14, Map.of("upper", 0L), "x", x, "k", Nd4j.scalar(-1L));
        agree("Trilu", 14, Map.of(), "x", x);
        agree("Trilu", 14, Map.of("upper", 0L), "x", x, "k", Nd4j.scalar(7L));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor data = leaf(8, 3, 4);
        Tensor upd = leaf(9, 3, 2);
        // With the duplicate (3, -1) the overwritten update has no effect and so a zero gradient.
        Tensor idx = Tensor.of(Nd4j.createFromArray(new long[][] {{3, -1}, {0, 2}, {1, -4}}));
        for (String reduction : new String[] {"none", "add"}) {
            var r = GradCheck.check("scatter_elements " + reduction, Map.of("data", data, "updates", upd),
                    () -> run1(new ScatterConverter(), op("ScatterElements", 16, 1, "axis", 1L, "reduction", reduction),
                            data, idx, upd));
            assertTrue(r.worst() <= GradCheck.TOLERANCE, reduction + ": " + r.worst());
        }
        Tensor d3 = leaf(10, 2, 3, 4);
        Tensor rows = leaf(11, 2, 4);
        Tensor nd = Tensor.of(Nd4j.createFromArray(new long[][] {{1, 2}, {0, -3}}));
        var r = GradCheck.check("scatter_nd", Map.of("data", d3, "updates", rows),
                () -> run1(new ScatterConverter(), op("ScatterND", 13, 1), d3, nd, rows));
        assertTrue(r.worst() <= GradCheck.TOLERANCE, "scatter_nd: " + r.worst());
        Tensor x = leaf(12, 2, 4, 4);
        var t = GradCheck.check("trilu", Map.of("x", x), () -> run1(new TriluConverter(), op("Trilu", 14, 1), x,
                Tensor.of(Nd4j.scalar(1L))));
        assertTrue(t.worst() <= GradCheck.TOLERANCE, "trilu: " + t.worst());
    }

    @Test
    void badInputIsRefusedWithTheNodeAndShapes() {
        Tensor data = Tensor.of(Nd4j.zeros(FL, 3, 4));
        Tensor upd = Tensor.of(Nd4j.zeros(FL, 3, 2));
        ShapeException e = assertThrows(ShapeException.class, () -> run1(new ScatterConverter(),
                op("ScatterElements", 13, 1, "axis", 1L), data, Tensor.of(Nd4j.createFromArray(new long[][] {{4, 0},
                    {0, 0}, {0, 0}})), upd));
        assertEquals("ScatterElements 'node_scatterelements': index 4 is out of range [-4, 4) on axis 1 of data [3, 4]",
                e.getMessage());
        ShapeException nd = assertThrows(ShapeException.class, () -> run1(new ScatterConverter(), op("ScatterND", 13, 1),
                data, Tensor.of(Nd4j.createFromArray(new long[][] {{0}, {1}})), upd));
        assertEquals("ScatterND 'node_scatternd': updates [3, 2], expected [2, 4] for indices [2, 1] into data [3, 4]",
                nd.getMessage());
        OnnxImportException mul = assertThrows(OnnxImportException.class, () -> run1(new ScatterConverter(),
                op("ScatterND", 16, 1, "reduction", "mul"), data, Tensor.of(Nd4j.createFromArray(new long[][] {{0}})),
                Tensor.of(Nd4j.zeros(FL, 1, 4))));
        assertTrue(mul.getMessage().contains("reduction 'mul' is not supported"), mul.getMessage());
        OnnxImportException rank = assertThrows(OnnxImportException.class, () -> run1(new TriluConverter(),
                op("Trilu", 14, 1), Tensor.of(Nd4j.zeros(FL, 4))));
        assertTrue(rank.getMessage().contains("expects an input of rank >= 2, got [4]"), rank.getMessage());
    }
}

package dev.dendrite.cnn.onnx;

import static dev.dendrite.cnn.onnx.Naive.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.onnx.OnnxGraph;
import dev.dendrite.onnx.OnnxNode;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.testkit.GradCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The two primitives of this package on their own: {@link ConstantPad} and {@link PoolNd}. */
class PrimitivesTest {
    @Test
    void constantPadPadsCropsAndDifferentiates() {
        Tensor x = Naive.leaf(1, 2, 3, 4);
        ConstantPad p = new ConstantPad(new long[] {0, 1, -1}, new long[] {1, -2, 2}, 7);
        Tensor y = p.apply1(x);
        assertArrayEquals(new long[] {3, 2, 5}, y.shape());
        // y[i, j, k] = x[i, j − 1, k + 1] where that exists, 7 elsewhere.
        assertEquals(7, y.data().getDouble(0, 0, 2), 0);
        assertEquals(7, y.data().getDouble(2, 1, 1), 0);
        assertEquals(x.data().getDouble(1, 0, 1), y.data().getDouble(1, 1, 0), 0);
        assertEquals(x.data().getDouble(0, 0, 3), y.data().getDouble(0, 1, 2), 0);
        assertEquals(7, y.data().getDouble(0, 1, 3), 0);
        GradCheck.check("pad", Map.of("x", x), () -> new ConstantPad(new long[] {0, 1, -1}, new long[] {1, -2, 2}, 7)
                .apply1(x));
        // Cropping everything but padding back: all fill, and a zero gradient.
        Tensor z = new ConstantPad(new long[] {0, -3, 0}, new long[] {0, 2, 0}, -1).apply1(x);
        assertArrayEquals(new long[] {2, 2, 4}, z.shape());
        Compare.assertBitEqual("all fill", z.data(), Nd4j.valueArrayOf(z.shape(), -1.0, z.dtype()));
        assertThrows(ShapeException.class, () -> new ConstantPad(new long[] {0, -4, 0}, new long[] {0, 0, -1}, 0)
                .apply1(x));
        OnnxGraph g = new OnnxGraph(13);
        p.toOnnx(g, new String[] {"x"}, new String[] {"y"});
        OnnxNode n = g.nodes().get(0);
        assertEquals("Pad", n.opType());
        INDArray pads = g.constants().get(n.inputs().get(1));
        assertArrayEquals(new long[] {0, 1, -1, 1, -2, 2}, pads.toLongVector());
        assertEquals(7, g.constants().get(n.inputs().get(2)).getDouble(0), 0);
    }

    @Test
    void poolNdWithAsymmetricPadsAndCeilMode() {
        long[] k = {3, 2};
        long[] s = {2, 3};
        long[] d = {1, 1};
        long[] pb = {2, 0};
        long[] pe = {0, 1};
        for (boolean max : new boolean[] {true, false}) {
            for (boolean counted : new boolean[] {false, true}) {
                Tensor x = Naive.distinctLeaf(2, 2, 2, 6, 7);
                PoolNd p = new PoolNd(max, k, s, d, pb, pe, true, counted);
                Tensor y = p.apply1(x);
                // h: 6 + 2 − 3 = 5 → ⌈5/2⌉ + 1 = 4; w: 7 + 1 − 2 = 6 → ⌈6/3⌉ + 1 = 3.
                long[] out = {4, 3};
                INDArray expected = Naive.pool(x.data(), max, k, s, d, pb, pe, out, counted, null);
                Compare.assertClose("pool max " + max + " counted " + counted, y.data(), expected, 1e-12);
                GradCheck.check("pool " + max + " " + counted, Map.of("x", x),
                        () -> new PoolNd(max, k, s, d, pb, pe, true, counted).apply1(x));
            }
        }
        assertThrows(IllegalStateException.class, () -> {
            PoolNd p = new PoolNd(true, k, s, d, pb, pe, false, false);
            p.apply1(Tensor.of(values(3, 1, 1, 5, 5)));
            p.indices(false);
        });
    }

    @Test
    void poolNdExportsAsOnePoolingNodeOrADilatedAverageAsAConv() {
        OnnxGraph g = new OnnxGraph(17);
        PoolNd max = new PoolNd(true, new long[] {2, 2, 2}, new long[] {1, 2, 1}, new long[] {2, 1, 1},
                new long[] {1, 0, 0}, new long[] {0, 1, 0}, true, false);
        max.apply1(Tensor.of(values(4, 1, 1, 5, 5, 5)));
        max.toOnnx(g, new String[] {"x"}, new String[] {"y"});
        OnnxNode n = g.nodes().get(0);
        assertEquals("MaxPool", n.opType());
        assertArrayEquals(new long[] {1, 0, 0, 0, 1, 0}, (long[]) n.attributes().get("pads"));
        assertArrayEquals(new long[] {2, 1, 1}, (long[]) n.attributes().get("dilations"));
        assertEquals(1L, n.attributes().get("ceil_mode"));

        OnnxGraph g17 = new OnnxGraph(17);
        PoolNd avg = new PoolNd(false, new long[] {2, 2}, new long[] {1, 1}, new long[] {2, 1}, new long[] {1, 0},
                new long[] {0, 0}, false, true);
        avg.apply1(Tensor.of(values(5, 1, 2, 5, 5).castTo(DataType.FLOAT)));
        avg.toOnnx(g17, new String[] {"x"}, new String[] {"y"});
        assertEquals(List.of("Reshape", "Pad", "Conv", "Reshape", "Mul"),
                g17.nodes().stream().map(OnnxNode::opType).toList());
        OnnxGraph g19 = new OnnxGraph(19);
        avg.toOnnx(g19, new String[] {"x"}, new String[] {"y"});
        assertEquals("AveragePool", g19.nodes().get(0).opType());
        assertEquals(1L, g19.nodes().get(0).attributes().get("count_include_pad"));
    }
}

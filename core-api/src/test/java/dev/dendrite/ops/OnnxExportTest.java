package dev.dendrite.ops;

import static dev.dendrite.ops.TestTensors.constant;
import static dev.dendrite.ops.TestTensors.indices;
import static dev.dendrite.ops.TestTensors.mask;
import static dev.dendrite.ops.TestTensors.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxGraph;
import dev.dendrite.onnx.OnnxNode;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What each primitive writes into the ONNX IR: op types, attributes, constant inputs, opset differences. */
class OnnxExportTest {
    private static final String[] X = {"x0"};
    private static final String[] Y = {"y0"};

    /** Runs the primitive (so it knows its resolved axes and dtypes), then writes it as x0.. -> y0... */
    private static OnnxGraph export(Function f, int opset, Tensor... inputs) {
        Tensor[] outs = f.apply(inputs);
        OnnxGraph g = new OnnxGraph(opset);
        String[] in = new String[inputs.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = "x" + i;
        }
        String[] out = new String[outs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = "y" + i;
        }
        f.toOnnx(g, in, out);
        return g;
    }

    private static OnnxNode single(OnnxGraph g, String opType) {
        assertEquals(1, g.nodes().size(), () -> "nodes " + opTypes(g));
        OnnxNode n = g.nodes().get(0);
        assertEquals(opType, n.opType());
        assertEquals(OnnxNode.DEFAULT_DOMAIN, n.domain());
        return n;
    }

    private static List<String> opTypes(OnnxGraph g) {
        return g.nodes().stream().map(OnnxNode::opType).toList();
    }

    private static long[] longs(OnnxGraph g, String name) {
        INDArray c = g.constants().get(name);
        assertNotNull(c, () -> "no constant " + name);
        assertEquals(DataType.INT64, c.dataType());
        return c.toLongVector();
    }

    private static double scalarConstant(OnnxGraph g, String name) {
        INDArray c = g.constants().get(name);
        assertNotNull(c, () -> "no constant " + name);
        assertEquals(1, c.length());
        return c.getDouble(0);
    }

    private static Tensor x234() {
        return Tensor.of(Nd4j.rand(DataType.DOUBLE, 2, 3, 4));
    }

    // ---- arithmetic and elementwise ----

    @Test
    void binaryOpsAreOneNodeEach() {
        Map<String, Function> ops = Map.of("Add", new Binary.Add(), "Sub", new Binary.Sub(), "Mul", new Binary.Mul(),
                "Div", new Binary.Div(), "Pow", new Binary.Pow());
        for (Map.Entry<String, Function> e : ops.entrySet()) {
            OnnxNode n = single(export(e.getValue(), 17, vector(1, 2), vector(3)), e.getKey());
            assertEquals(List.of("x0", "x1"), n.inputs());
            assertEquals(List.of("y0"), n.outputs());
            assertTrue(n.attributes().isEmpty());
        }
    }

    @Test
    void plainElementwiseOpsHaveNoAttributes() {
        Map<String, Function> ops = Map.ofEntries(Map.entry("Exp", new Activations.Exp()),
                Map.entry("Log", new Activations.Log()), Map.entry("Sqrt", new Activations.Sqrt()),
                Map.entry("Abs", new Activations.Abs()), Map.entry("Neg", new Activations.Neg()),
                Map.entry("Tanh", new Activations.Tanh()), Map.entry("Sigmoid", new Activations.Sigmoid()),
                Map.entry("Relu", new Activations.Relu()), Map.entry("Softplus", new Activations.Softplus()),
                Map.entry("Softsign", new Activations.Softsign()), Map.entry("Cos", new Activations.Cos()),
                Map.entry("Sin", new Activations.Sin()));
        for (Map.Entry<String, Function> e : ops.entrySet()) {
            OnnxNode n = single(export(e.getValue(), 17, vector(1, 2)), e.getKey());
            assertEquals(List.of("x0"), n.inputs());
            assertEquals(List.of("y0"), n.outputs());
            assertTrue(n.attributes().isEmpty(), e.getKey());
        }
    }

    @Test
    void activationsWithParametersWriteThemAsAttributes() {
        assertEquals(Map.of("alpha", 0.1), single(export(new Activations.LeakyRelu(0.1), 17, vector(1)),
                "LeakyRelu").attributes());
        assertEquals(Map.of("alpha", 0.5), single(export(new Activations.Elu(0.5), 17, vector(1)), "Elu")
                .attributes());
        assertEquals(Map.of("alpha", 0.2, "beta", 0.5), single(export(new Activations.HardSigmoid(0.2, 0.5), 17,
                vector(1)), "HardSigmoid").attributes());
        Map<String, Object> selu = single(export(new Activations.Selu(), 17, vector(1)), "Selu").attributes();
        assertEquals(1.6732632423543772, (Double) selu.get("alpha"), 1e-15);
        assertEquals(1.0507009873554805, (Double) selu.get("gamma"), 1e-15);
    }

    @Test
    void clipTakesMinAndMaxAsScalarConstantsOfTheInputType() {
        OnnxGraph g = export(new Activations.Clip(-1, 2), 13, Tensor.of(Nd4j.rand(DataType.FLOAT, 3)));
        OnnxNode n = single(g, "Clip");
        assertEquals(3, n.inputs().size());
        assertEquals("x0", n.inputs().get(0));
        assertEquals(-1.0, scalarConstant(g, n.inputs().get(1)));
        assertEquals(2.0, scalarConstant(g, n.inputs().get(2)));
        assertEquals(DataType.FLOAT, g.constants().get(n.inputs().get(1)).dataType());
    }

    @Test
    void geluBeforeOpset20DecomposesIntoErf() {
        OnnxGraph g = export(new Activations.Gelu(), 17, vector(1, 2));
        assertEquals(List.of("Mul", "Erf", "Add", "Mul", "Mul"), opTypes(g));
        List<OnnxNode> n = g.nodes();
        // y = (x · 0.5) · (1 + erf(x · 1/√2))
        assertEquals("x0", n.get(0).inputs().get(0));
        assertEquals(1 / Math.sqrt(2), scalarConstant(g, n.get(0).inputs().get(1)), 1e-15);
        assertEquals(n.get(0).outputs(), n.get(1).inputs());
        assertEquals(n.get(1).outputs().get(0), n.get(2).inputs().get(0));
        assertEquals(1.0, scalarConstant(g, n.get(2).inputs().get(1)));
        assertEquals("x0", n.get(3).inputs().get(0));
        assertEquals(0.5, scalarConstant(g, n.get(3).inputs().get(1)));
        assertEquals(List.of(n.get(3).outputs().get(0), n.get(2).outputs().get(0)), n.get(4).inputs());
        assertEquals(List.of("y0"), n.get(4).outputs());
        assertEquals(DataType.DOUBLE, g.constants().get(n.get(0).inputs().get(1)).dataType());
    }

    @Test
    void geluFromOpset20IsOneNode() {
        single(export(new Activations.Gelu(), 20, vector(1)), "Gelu");
    }

    // ---- linear algebra ----

    @Test
    void matmulIsOneNode() {
        OnnxNode n = single(export(new MatMul(), 17, constant(new double[6], 2, 3), constant(new double[12], 3, 4)),
                "MatMul");
        assertEquals(List.of("x0", "x1"), n.inputs());
    }

    @Test
    void gemmWritesOnlyNonDefaultAttributes() {
        Tensor a = constant(new double[6], 2, 3);
        Tensor w = constant(new double[12], 4, 3);
        OnnxNode n = single(export(new Gemm(1, 1, false, true), 17, a, w, vector(1, 2, 3, 4)), "Gemm");
        assertEquals(Map.of("transB", 1L), n.attributes());
        assertEquals(List.of("x0", "x1", "x2"), n.inputs());
        OnnxNode all = single(export(new Gemm(0.5, 2, true, false), 17, constant(new double[6], 3, 2),
                constant(new double[12], 3, 4)), "Gemm");
        assertEquals(Map.of("alpha", 0.5, "beta", 2.0, "transA", 1L), all.attributes());
        assertEquals(2, all.inputs().size());
    }

    // ---- reductions ----

    @Test
    void reduceMeanUsesTheAxesAttributeAtOpset17() {
        OnnxGraph g = export(new Reduce.Mean(new int[] {-1}, false), 17, x234());
        OnnxNode n = single(g, "ReduceMean");
        assertEquals(List.of("x0"), n.inputs());
        assertArrayEquals(new long[] {2}, (long[]) n.attributes().get("axes"));
        assertEquals(0L, n.attributes().get("keepdims"));
        assertTrue(g.constants().isEmpty());
    }

    @Test
    void reduceMeanTakesAxesAsAnInputAtOpset18() {
        OnnxGraph g = export(new Reduce.Mean(new int[] {0, -1}, true), 18, x234());
        OnnxNode n = single(g, "ReduceMean");
        assertEquals(2, n.inputs().size());
        assertArrayEquals(new long[] {0, 2}, longs(g, n.inputs().get(1)));
        assertEquals(Map.of("keepdims", 1L), n.attributes());
    }

    @Test
    void reduceSumTakesAxesAsAnInputFromOpset13() {
        OnnxGraph g = export(new Reduce.Sum(new int[] {1}, true), 13, x234());
        OnnxNode n = single(g, "ReduceSum");
        assertArrayEquals(new long[] {1}, longs(g, n.inputs().get(1)));
        assertFalse(n.attributes().containsKey("axes"));
    }

    @Test
    void everyReductionHasItsOnnxOpAndAllAxesAreWrittenOut() {
        Map<String, Function> ops = Map.of("ReduceMax", new Reduce.Extreme(true, new int[0], false),
                "ReduceMin", new Reduce.Extreme(false, new int[0], false),
                "ReduceProd", new Reduce.Prod(new int[0], false),
                "ReduceLogSumExp", new Reduce.LogSumExp(new int[0], false),
                "ReduceMean", new Reduce.Mean(new int[0], false));
        for (Map.Entry<String, Function> e : ops.entrySet()) {
            OnnxNode n = single(export(e.getValue(), 17, x234()), e.getKey());
            assertArrayEquals(new long[] {0, 1, 2}, (long[]) n.attributes().get("axes"), e.getKey());
            assertEquals(0L, n.attributes().get("keepdims"));
        }
        OnnxGraph g18 = export(new Reduce.Extreme(true, new int[] {1}, false), 18, x234());
        assertArrayEquals(new long[] {1}, longs(g18, single(g18, "ReduceMax").inputs().get(1)));
    }

    @Test
    void softmaxAndLogSoftmaxWriteTheResolvedAxis() {
        assertEquals(Map.of("axis", 2L), single(export(new Softmax(-1, false), 13, x234()), "Softmax").attributes());
        assertEquals(Map.of("axis", 0L), single(export(new Softmax(0, true), 13, x234()), "LogSoftmax").attributes());
    }

    // ---- shape ----

    @Test
    void reshapeKeepsTheSpecItWasGiven() {
        OnnxGraph g = export(Reshape.reshape(0, -1), 13, x234());
        OnnxNode n = single(g, "Reshape");
        assertEquals("x0", n.inputs().get(0));
        assertArrayEquals(new long[] {0, -1}, longs(g, n.inputs().get(1)));
    }

    @Test
    void flattenSqueezeAndUnsqueeze() {
        assertEquals(Map.of("axis", 1L), single(export(Reshape.flatten(1), 13, x234()), "Flatten").attributes());
        Tensor ones = Tensor.of(Nd4j.rand(DataType.DOUBLE, 2, 1, 3, 1));
        OnnxGraph sq = export(Reshape.squeeze(1, -1), 13, ones);
        assertArrayEquals(new long[] {1, -1}, longs(sq, single(sq, "Squeeze").inputs().get(1)));
        OnnxGraph all = export(Reshape.squeeze(), 13, ones);
        assertEquals(List.of("x0"), single(all, "Squeeze").inputs());
        OnnxGraph un = export(Reshape.unsqueeze(0), 13, vector(1, 2));
        assertArrayEquals(new long[] {0}, longs(un, single(un, "Unsqueeze").inputs().get(1)));
    }

    @Test
    void permuteIsTransposeWithPerm() {
        OnnxNode n = single(export(new Permute(2, 0, 1), 13, x234()), "Transpose");
        assertArrayEquals(new long[] {2, 0, 1}, (long[]) n.attributes().get("perm"));
    }

    @Test
    void concatAndSplit() {
        OnnxNode c = single(export(new Concat(-1), 13, x234(), x234(), x234()), "Concat");
        assertEquals(List.of("x0", "x1", "x2"), c.inputs());
        assertEquals(Map.of("axis", 2L), c.attributes());
        OnnxGraph g = export(new Split(-2, 1, 2), 13, x234());
        OnnxNode s = single(g, "Split");
        assertEquals(List.of("y0", "y1"), s.outputs());
        assertArrayEquals(new long[] {1, 2}, longs(g, s.inputs().get(1)));
        assertEquals(Map.of("axis", 1L), s.attributes());
    }

    @Test
    void sliceWritesStartsEndsResolvedAxesAndSteps() {
        OnnxGraph g = export(new Slice(new long[] {-1, 0}, new long[] {Long.MIN_VALUE, 3}, new long[] {-1, 0},
                new long[] {-1, 2}), 13, x234());
        OnnxNode n = single(g, "Slice");
        assertEquals(5, n.inputs().size());
        assertArrayEquals(new long[] {-1, 0}, longs(g, n.inputs().get(1)));
        assertArrayEquals(new long[] {Long.MIN_VALUE, 3}, longs(g, n.inputs().get(2)));
        assertArrayEquals(new long[] {2, 0}, longs(g, n.inputs().get(3)));
        assertArrayEquals(new long[] {-1, 2}, longs(g, n.inputs().get(4)));
        OnnxGraph d = export(new Slice(new long[] {1}, new long[] {2}, null, null), 13, x234());
        OnnxNode dn = single(d, "Slice");
        assertArrayEquals(new long[] {0}, longs(d, dn.inputs().get(3)));
        assertArrayEquals(new long[] {1}, longs(d, dn.inputs().get(4)));
    }

    @Test
    void gatherExpandAndWhere() {
        OnnxNode gather = single(export(new Gather(-1), 13, x234(), indices(new long[] {0, -1}, 2)), "Gather");
        assertEquals(Map.of("axis", 2L), gather.attributes());
        assertEquals(List.of("x0", "x1"), gather.inputs());
        OnnxGraph e = export(new Expand(2, 1, 4), 13, constant(new double[3], 3, 1));
        assertArrayEquals(new long[] {2, 1, 4}, longs(e, single(e, "Expand").inputs().get(1)));
        OnnxNode w = single(export(new Where(), 13, mask(new boolean[] {true, false}, 2), vector(1, 2), vector(3)),
                "Where");
        assertEquals(List.of("x0", "x1", "x2"), w.inputs());
    }

    @Test
    void castWritesTheOnnxTypeNumber() {
        assertEquals(Map.of("to", 1L), single(export(new Cast(DataType.FLOAT), 13, vector(1)), "Cast").attributes());
        assertEquals(Map.of("to", 11L), single(export(new Cast(DataType.DOUBLE), 13, vector(1)), "Cast")
                .attributes());
        assertEquals(Map.of("to", 6L), single(export(new Cast(DataType.INT32), 13, vector(1)), "Cast").attributes());
    }

    // ---- regularisation and normalisation ----

    @Test
    void dropoutExportsAsIdentity() {
        OnnxNode n = single(export(new Dropout(0.5, 1), 13, vector(1, 2)), "Identity");
        assertEquals(List.of("x0"), n.inputs());
        assertEquals(List.of("y0"), n.outputs());
    }

    @Test
    void layerNormIsOneNodeFromOpset17() {
        Tensor x = x234();
        OnnxNode n = single(export(new LayerNorm(-1, 1e-5), 17, x, vector(1, 1, 1, 1), vector(0, 0, 0, 0)),
                "LayerNormalization");
        assertEquals(Map.of("axis", 2L, "epsilon", 1e-5), n.attributes());
        assertEquals(List.of("x0", "x1", "x2"), n.inputs());
        OnnxNode noBias = single(export(new LayerNorm(1, 1e-3), 17, x, constant(new double[12], 3, 4)),
                "LayerNormalization");
        assertEquals(Map.of("axis", 1L, "epsilon", 1e-3), noBias.attributes());
        assertEquals(List.of("x0", "x1"), noBias.inputs());
    }

    @Test
    void layerNormAtOpset13IsSpelledOut() {
        OnnxGraph g = export(new LayerNorm(1, 1e-5), 13, x234(), constant(new double[12], 3, 4),
                constant(new double[12], 3, 4));
        assertEquals(List.of("ReduceMean", "Sub", "Mul", "ReduceMean", "Add", "Sqrt", "Div", "Mul", "Add"),
                opTypes(g));
        List<OnnxNode> n = g.nodes();
        assertArrayEquals(new long[] {1, 2}, (long[]) n.get(0).attributes().get("axes"));
        assertEquals(1L, n.get(0).attributes().get("keepdims"));
        assertEquals(1e-5, scalarConstant(g, n.get(4).inputs().get(1)), 1e-20);
        assertEquals(List.of(n.get(6).outputs().get(0), "x1"), n.get(7).inputs());
        assertEquals(List.of(n.get(7).outputs().get(0), "x2"), n.get(8).inputs());
        assertEquals(List.of("y0"), n.get(8).outputs());
        OnnxGraph noBias = export(new LayerNorm(-1, 1e-5), 13, x234(), vector(1, 1, 1, 1));
        List<String> types = opTypes(noBias);
        assertEquals("Mul", types.get(types.size() - 1));
        assertEquals(8, types.size());
        assertEquals(List.of("y0"), noBias.nodes().get(7).outputs());
    }

    @Test
    void recordedGraphNamesAreFresh() {
        OnnxGraph g = export(new Activations.Gelu(), 17, vector(1));
        long distinct = g.nodes().stream().flatMap(n -> n.outputs().stream()).distinct().count();
        assertEquals(g.nodes().size(), distinct);
        assertEquals(X[0], g.nodes().get(0).inputs().get(0));
        assertEquals(Y[0], g.nodes().get(4).outputs().get(0));
    }
}

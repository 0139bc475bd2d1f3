package dev.dendrite.onnxbridge.ops.math;

import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.assertClose;
import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.leaf;
import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.normal;
import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.op;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.testkit.GradCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Converter semantics the ONNX node tests do not reach: old opsets, missing optionals, integers, refusals. */
class MathConverterSemanticsTest {
    private static Tensor run1(dev.dendrite.onnx.OnnxConverter c, dev.dendrite.onnx.OnnxOp op, Tensor... in) {
        return c.convert(op, in)[0];
    }

    @Test
    void softmaxBeforeOpset13CoercesTo2D() {
        INDArray x = normal(1, 2, 3, 4);
        Tensor y = run1(new SoftmaxConverter(), op("Softmax", 11, Map.of()), Tensor.of(x));
        // Default axis 1: each of the 2 rows of 12 values sums to one, not each group of 3.
        INDArray e = Transforms.exp(x.reshape(2, 12), true);
        e.diviColumnVector(e.sum(1).reshape(2, 1));
        assertClose(e.reshape(2, 3, 4), y.data(), 1e-12);

        Tensor y13 = run1(new SoftmaxConverter(), op("Softmax", 13, Map.of("axis", 1L)), Tensor.of(x));
        assertClose(Nd4j.ones(DataType.DOUBLE, 2, 4), y13.data().sum(1), 1e-12);
    }

    @Test
    void logSoftmaxOpset11NegativeAxisAndGradient() {
        Tensor x = leaf(2, 2, 3, 4);
        Tensor y = run1(new SoftmaxConverter(), op("LogSoftmax", 11, Map.of("axis", -2L)), x);
        // axis -2 is axis 1: rows of 3·4 = 12 values.
        INDArray flat = x.data().reshape(2, 12);
        INDArray lse = Transforms.log(Transforms.exp(flat, true).sum(true, 1), false);
        assertClose(flat.subColumnVector(lse).reshape(2, 3, 4), y.data(), 1e-12);
        GradCheck.check("logsoftmax opset 11", Map.of("x", x),
                () -> run1(new SoftmaxConverter(), op("LogSoftmax", 11, Map.of("axis", 0L)), x));
    }

    @Test
    void clipWithMissingMinOrMax() {
        Tensor x = Tensor.of(Nd4j.createFromArray(-3f, 0f, 3f));
        Tensor max = Tensor.of(Nd4j.scalar(DataType.FLOAT, 1f));
        Tensor min = Tensor.of(Nd4j.scalar(DataType.FLOAT, -1f));
        ClipConverter c = new ClipConverter();
        assertClose(Nd4j.createFromArray(-3f, 0f, 1f), run1(c, op("Clip", 13, Map.of()), x, null, max).data(), 0);
        assertClose(Nd4j.createFromArray(-1f, 0f, 3f), run1(c, op("Clip", 13, Map.of()), x, min).data(), 0);
        assertSame(x, run1(c, op("Clip", 13, Map.of()), x));
        // Opset 6: attributes; min > max makes everything max.
        assertClose(Nd4j.createFromArray(-3f, 0f, 0.5f), run1(c, op("Clip", 6, Map.of("max", 0.5)), x).data(), 0);
        assertClose(Nd4j.createFromArray(-1f, -1f, -1f), run1(c, op("Clip", 13, Map.of()), x, max, min).data(), 0);
    }

    @Test
    void clipIntegers() {
        Tensor x = Tensor.of(Nd4j.createFromArray(new long[] {-5, 2, 9}));
        Tensor y = run1(new ClipConverter(), op("Clip", 13, Map.of()), x, Tensor.of(Nd4j.scalar(-1L)),
                Tensor.of(Nd4j.scalar(4L)));
        assertEquals(DataType.LONG, y.dtype());
        assertClose(Nd4j.createFromArray(new long[] {-1, 2, 4}), y.data(), 0);
    }

    @Test
    void reduceAxesAttributeBeforeOpset18AndEmptySets() {
        INDArray x = normal(3, 2, 3, 4);
        ReduceConverter c = new ReduceConverter();
        Tensor y = run1(c, op("ReduceMax", 13, Map.of("axes", new long[] {-1, 0}, "keepdims", 0L)), Tensor.of(x));
        assertClose(x.max(0, 2), y.data(), 0);
        // ReduceSum took axes as an input from opset 13; noop_with_empty_axes returns the input.
        Tensor in = Tensor.of(x);
        assertSame(in, run1(c, op("ReduceSum", 13, Map.of("noop_with_empty_axes", 1L)), in,
                Tensor.of(Nd4j.create(DataType.LONG, 0))));
        Tensor empty = Tensor.of(Nd4j.create(DataType.FLOAT, 2, 0, 3));
        Tensor axis1 = Tensor.of(Nd4j.createFromArray(new long[] {1}));
        // log-sum-exp of an empty set is -inf: exact and non-finite, so bit-equal (assertClose refuses infinities).
        Compare.assertBitEqual("ReduceLogSumExp of an empty set",
                run1(c, op("ReduceLogSumExp", 18, Map.of("keepdims", 0L)), empty, axis1).data(),
                Nd4j.valueArrayOf(new long[] {2, 3}, Double.NEGATIVE_INFINITY, DataType.FLOAT));
        assertClose(Nd4j.ones(DataType.FLOAT, 2, 1, 3),
                run1(c, op("ReduceProd", 18, Map.of()), empty, axis1).data(), 0);
        assertThrows(OnnxImportException.class, () -> run1(c, op("ReduceSum", 13, Map.of()), in,
                Tensor.of(Nd4j.createFromArray(new long[] {3}))));
        assertThrows(OnnxImportException.class, () -> run1(c, op("ReduceMean", 11,
                Map.of("axes", new long[] {1, -2})), in));
    }

    @Test
    void reduceIntegers() {
        Tensor x = Tensor.of(Nd4j.createFromArray(new int[] {1, 2, 3, 4, 5, 6}).reshape(2, 3));
        Tensor y = run1(new ReduceConverter(), op("ReduceSum", 11, Map.of("axes", new long[] {1})), x);
        assertEquals(DataType.INT, y.dtype());
        assertClose(Nd4j.createFromArray(new int[] {6, 15}).reshape(2, 1), y.data(), 0);
    }

    @Test
    void integerArithmeticAndDivisionByZero() {
        Tensor a = Tensor.of(Nd4j.createFromArray(new long[] {7, -7, 9}));
        Tensor b = Tensor.of(Nd4j.createFromArray(new long[] {2}));
        ArithmeticConverter c = new ArithmeticConverter();
        assertClose(Nd4j.createFromArray(new long[] {3, -3, 4}), run1(c, op("Div", 14, Map.of()), a, b).data(), 0);
        assertClose(Nd4j.createFromArray(new long[] {9, -5, 11}), run1(c, op("Add", 14, Map.of()), a, b).data(), 0);
        Tensor zero = Tensor.of(Nd4j.createFromArray(new long[] {1, 0, 1}));
        assertThrows(OnnxImportException.class, () -> run1(c, op("Div", 14, Map.of()), a, zero));
        Tensor f = Tensor.of(Nd4j.createFromArray(1f, 2f, 3f));
        assertThrows(OnnxImportException.class, () -> run1(c, op("Add", 14, Map.of()), f, a));
        assertThrows(OnnxImportException.class, () -> run1(c, op("Mul", 14, Map.of()), f,
                Tensor.of(Nd4j.createFromArray(1f, 2f))));
    }

    @Test
    void powWithIntegerExponentKeepsBaseType() {
        Tensor x = Tensor.of(Nd4j.createFromArray(2f, 3f));
        Tensor y = run1(new ArithmeticConverter(), op("Pow", 15, Map.of()), x,
                Tensor.of(Nd4j.createFromArray(new long[] {3})));
        assertEquals(DataType.FLOAT, y.dtype());
        assertClose(Nd4j.createFromArray(8f, 27f), y.data(), 1e-5);
    }

    @Test
    void variadicMaxAndMinRouteTheGradientToTheChosenInput() {
        Tensor a = leaf(5, 3, 4);
        Tensor b = leaf(6, 4);
        Tensor c = leaf(7, 1, 4);
        VariadicConverter v = new VariadicConverter();
        for (String type : new String[] {"Max", "Min", "Sum", "Mean"}) {
            GradCheck.check(type, Map.of("a", a, "b", b, "c", c), () -> run1(v, op(type, 13, Map.of()), a, b, c));
        }
        Tensor y = run1(v, op("Max", 13, Map.of()), a, b, c);
        INDArray expected = Transforms.max(Transforms.max(a.data(), b.data().reshape(1, 4).repeat(0, 3)),
                c.data().repeat(0, 3));
        assertClose(expected, y.data(), 0);
    }

    @Test
    void maxPropagatesNaN() {
        Tensor a = Tensor.of(Nd4j.createFromArray(Float.NaN, 1f));
        Tensor b = Tensor.of(Nd4j.createFromArray(0f, Float.NaN));
        INDArray y = run1(new VariadicConverter(), op("Max", 13, Map.of()), a, b).data();
        assertTrue(Double.isNaN(y.getDouble(0)) && Double.isNaN(y.getDouble(1)));
    }

    @Test
    void layerNormStatisticsAreDifferentiable() {
        Tensor x = leaf(8, 2, 3, 4);
        Tensor w = leaf(9, 3, 4);
        Tensor b = leaf(10, 4); // only broadcasts: the composed path
        LayerNormConverter c = new LayerNormConverter();
        dev.dendrite.onnx.OnnxOp op = op("LayerNormalization", 17, Map.of("axis", 1L, "epsilon", 0.01), 3, false);
        Tensor[] out = c.convert(op, new Tensor[] {x, w, b});
        assertArrayEquals(new long[] {2, 1, 1}, out[1].shape());
        assertClose(x.data().mean(1, 2).reshape(2, 1, 1), out[1].data(), 1e-12);
        GradCheck.check("layer norm Y", Map.of("x", x, "w", w, "b", b), () -> c.convert(op, new Tensor[] {x, w, b})[0]);
        for (int k = 1; k < 3; k++) {
            int output = k;
            GradCheck.check("layer norm output " + k, Map.of("x", x),
                    () -> c.convert(op, new Tensor[] {x, w, b})[output]);
        }
        // Y alone, exact shapes: the fused primitive agrees with the composition.
        Tensor bFull = leaf(11, 3, 4);
        Tensor fused = c.convert(op("LayerNormalization", 17, Map.of("axis", 1L, "epsilon", 0.01)),
                new Tensor[] {x, w, bFull})[0];
        Tensor composed = c.convert(op, new Tensor[] {x, w, bFull})[0];
        assertClose(composed.data(), fused.data(), 1e-12);
    }

    @Test
    void dropoutInTrainingDrawsASeededMaskAndScales() {
        Tensor x = leaf(12, 4, 50);
        DropoutConverter c = new DropoutConverter();
        Tensor ratio = Tensor.of(Nd4j.scalar(DataType.DOUBLE, 0.25));
        dev.dendrite.onnx.OnnxOp op = op("Dropout", 13, Map.of("seed", 3L), 2, true);
        Tensor[] out = c.convert(op, new Tensor[] {x, ratio});
        assertEquals(DataType.BOOL, out[1].dtype());
        INDArray keep = out[1].data().castTo(DataType.DOUBLE);
        assertClose(x.data().mul(keep).muli(1 / 0.75), out[0].data(), 1e-12);
        double kept = keep.sumNumber().doubleValue() / keep.length();
        assertTrue(kept > 0.6 && kept < 0.9, "kept fraction " + kept);
        // The same seed gives the same mask; the gradient is the scaled mask.
        assertClose(out[1].data(), c.convert(op, new Tensor[] {x, ratio})[1].data(), 0);
        GradCheck.check("dropout", Map.of("x", x), () -> c.convert(op, new Tensor[] {x, ratio})[0]);
        // Inference: identity and an all-true mask; training_mode=true turns it on at inference too.
        Tensor[] eval = c.convert(op("Dropout", 13, Map.of(), 2, false), new Tensor[] {x, ratio});
        assertSame(x, eval[0]);
        assertEquals(keep.length(), eval[1].data().castTo(DataType.DOUBLE).sumNumber().longValue());
        Tensor on = Tensor.of(Nd4j.scalar(true));
        Tensor[] forced = c.convert(op("Dropout", 13, Map.of("seed", 3L), 2, false), new Tensor[] {x, ratio, on});
        assertClose(out[0].data(), forced[0].data(), 0);
        // Opset 7-9: the mask has the input's dtype.
        assertEquals(DataType.DOUBLE, c.convert(op("Dropout", 9, Map.of(), 2, false), new Tensor[] {x})[1].dtype());
        assertThrows(OnnxImportException.class, () -> c.convert(op("Dropout", 13, Map.of(), 1, true),
                new Tensor[] {x, Tensor.of(Nd4j.scalar(DataType.DOUBLE, 1.0))}));
    }

    @Test
    void argMaxSelectsFirstOrLastTie() {
        Tensor x = Tensor.of(Nd4j.createFromArray(new float[][] {{1, 3, 3, 0}, {2, 2, 1, 2}}));
        ArgMaxConverter c = new ArgMaxConverter();
        Tensor first = run1(c, op("ArgMax", 13, Map.of("axis", -1L, "keepdims", 0L)), x);
        Tensor last = run1(c, op("ArgMax", 13, Map.of("axis", 1L, "select_last_index", 1L)), x);
        assertEquals(DataType.LONG, first.dtype());
        assertClose(Nd4j.createFromArray(new long[] {1, 0}), first.data(), 0);
        assertClose(Nd4j.createFromArray(new long[] {2, 3}).reshape(2, 1), last.data(), 0);
        assertThrows(OnnxImportException.class, () -> run1(c, op("ArgMax", 13, Map.of("axis", 2L)), x));
    }

    @Test
    void geluTanhApproximationAndSeluAttributes() {
        Tensor x = leaf(13, 10);
        Tensor approx = run1(new ActivationConverter(), op("Gelu", 20, Map.of("approximate", "tanh")), x);
        INDArray v = x.data();
        INDArray inner = v.add(Transforms.pow(v, 3, true).muli(0.044715)).muli(Math.sqrt(2 / Math.PI));
        assertClose(v.mul(0.5).muli(Transforms.tanh(inner, false).addi(1)), approx.data(), 1e-12);
        GradCheck.check("gelu tanh", Map.of("x", x),
                () -> run1(new ActivationConverter(), op("Gelu", 20, Map.of("approximate", "tanh")), x));
        assertThrows(OnnxImportException.class,
                () -> run1(new ActivationConverter(), op("Gelu", 20, Map.of("approximate", "fast")), x));
        Tensor selu = run1(new ActivationConverter(), op("Selu", 6, Map.of("alpha", 2.0, "gamma", 3.0)), x);
        assertClose(F.mul(F.elu(x, 2.0), 3.0).data(), selu.data(), 1e-12);
    }

    @Test
    void constantFormsAndCast() {
        ValueConverter c = new ValueConverter();
        assertClose(Nd4j.createFromArray(new long[] {1, 2}),
                c.convert(op("Constant", 13, Map.of("value_ints", new long[] {1, 2})), new Tensor[0])[0].data(), 0);
        assertClose(Nd4j.scalar(DataType.FLOAT, 0.5f),
                c.convert(op("Constant", 13, Map.of("value_float", 0.5)), new Tensor[0])[0].data(), 0);
        assertThrows(OnnxImportException.class, () -> c.convert(op("Constant", 13, Map.of()), new Tensor[0]));
        assertThrows(OnnxImportException.class, () -> c.convert(op("Constant", 13, Map.of("value_string", "a")),
                new Tensor[0]));
        Tensor x = leaf(14, 3);
        Tensor f = c.convert(op("Cast", 13, Map.of("to", 1L)), new Tensor[] {x})[0];
        assertEquals(DataType.FLOAT, f.dtype());
        assertTrue(f.requiresGrad(), "a float cast stays differentiable");
        assertThrows(OnnxImportException.class, () -> c.convert(op("Cast", 13, Map.of("to", 8L)), new Tensor[] {x}));
    }

    @Test
    void whereOnIntegersAndComparisons() {
        Tensor cond = Tensor.of(Nd4j.createFromArray(true, false));
        Tensor a = Tensor.of(Nd4j.createFromArray(new long[] {1, 2}));
        Tensor b = Tensor.of(Nd4j.createFromArray(new long[][] {{10, 20}, {30, 40}}));
        CompareConverter c = new CompareConverter();
        assertClose(Nd4j.createFromArray(new long[][] {{1, 20}, {1, 40}}),
                run1(c, op("Where", 16, Map.of()), cond, a, b).data(), 0);
        Tensor gt = run1(c, op("Greater", 13, Map.of()), b, a);
        assertEquals(DataType.BOOL, gt.dtype());
        assertThrows(OnnxImportException.class, () -> run1(c, op("Where", 16, Map.of()), a, a, b));
    }

    @Test
    void gemmAndMatMulChecksAndGradients() {
        Tensor a = leaf(15, 4, 3);
        Tensor b = leaf(16, 5, 4);
        Tensor cBias = leaf(17, 1, 5);
        LinearAlgebraConverter l = new LinearAlgebraConverter();
        dev.dendrite.onnx.OnnxOp gemm = op("Gemm", 13, Map.of("transA", 1L, "transB", 1L, "alpha", 0.5, "beta", 2.0));
        GradCheck.check("gemm", Map.of("a", a, "b", b, "c", cBias), () -> run1(l, gemm, a, b, cBias));
        assertThrows(OnnxImportException.class, () -> run1(l, gemm, a, b, leaf(18, 2, 5)));
        assertThrows(OnnxImportException.class, () -> run1(l, op("MatMul", 13, Map.of()), a, leaf(19, 4, 2)));
        Tensor v = leaf(20, 3);
        assertArrayEquals(new long[] {4}, run1(l, op("MatMul", 13, Map.of()), a, v).shape());
    }

    @Test
    void badInputsAreRefusedNamingTheNode() {
        Tensor m = leaf(21, 2, 3);
        Tensor bools = Tensor.of(Nd4j.createFromArray(true, false, true));
        Tensor scalar = Tensor.of(Nd4j.scalar(1.0));
        java.util.List<org.junit.jupiter.api.function.Executable> bad = java.util.List.of(
                () -> run1(new CompareConverter(), op("Greater", 13, Map.of()), bools, bools),
                () -> run1(new SoftmaxConverter(), op("Softmax", 13, Map.of()), scalar),
                () -> run1(new SoftmaxConverter(), op("Softmax", 11, Map.of("axis", 2L)), m),
                () -> run1(new LayerNormConverter(), op("LayerNormalization", 17, Map.of()), m, leaf(22, 2)),
                () -> run1(new LayerNormConverter(), op("LayerNormalization", 17, Map.of("axis", -3L)), m, leaf(23, 3)),
                () -> run1(new LinearAlgebraConverter(), op("Gemm", 13, Map.of()), m, leaf(24, 2, 3)),
                () -> run1(new LinearAlgebraConverter(), op("MatMul", 13, Map.of()), scalar, m),
                () -> run1(new ArgMaxConverter(), op("ArgMax", 13, Map.of()), scalar),
                () -> run1(new ArgMaxConverter(), op("ArgMax", 13, Map.of()), Tensor.of(Nd4j.create(DataType.FLOAT, 0, 2))),
                () -> run1(new ValueConverter(), op("Cast", 13, Map.of()), m),
                () -> run1(new DropoutConverter(), op("Dropout", 13, Map.of()), m, Tensor.of(Nd4j.createFromArray(0.1, 0.2))),
                () -> run1(new ReduceConverter(), op("ReduceMax", 18, Map.of()), m,
                        Tensor.of(Nd4j.createFromArray(0.5f))),
                () -> run1(new UnaryMathConverter(), op("Exp", 13, Map.of()), Tensor.of(Nd4j.createFromArray(1, 2))),
                () -> run1(new ArithmeticConverter(), op("Add", 14, Map.of()), bools, bools));
        for (org.junit.jupiter.api.function.Executable e : bad) {
            OnnxImportException ex = assertThrows(OnnxImportException.class, e);
            assertTrue(ex.getMessage().startsWith("node 'n_"), ex.getMessage());
        }
    }
}

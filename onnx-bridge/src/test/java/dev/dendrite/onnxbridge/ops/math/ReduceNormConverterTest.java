package dev.dendrite.onnxbridge.ops.math;

import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.assertClose;
import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.leaf;
import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.normal;
import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** ReduceL1, ReduceL2, ReduceSumSquare and ReduceLogSum (what PyTorch's norms and distances export to). */
class ReduceNormConverterTest {
    private static final ReduceConverter C = new ReduceConverter();

    private static Tensor run(String type, int opset, Map<String, Object> attrs, Tensor... in) {
        return C.convert(op(type, opset, attrs), in)[0];
    }

    private static Tensor axes(long... a) {
        return Tensor.of(Nd4j.createFromArray(a));
    }

    /** Naive loops over [a, b, c] reducing the last axis: the expectation the converters are held to. */
    private static INDArray lastAxis(INDArray x, String type) {
        long a = x.size(0);
        long b = x.size(1);
        long c = x.size(2);
        INDArray y = Nd4j.create(DataType.DOUBLE, a, b);
        for (long i = 0; i < a; i++) {
            for (long j = 0; j < b; j++) {
                double s = 0;
                for (long k = 0; k < c; k++) {
                    double v = x.getDouble(i, j, k);
                    s += switch (type) {
                        case "ReduceL1" -> Math.abs(v);
                        case "ReduceLogSum" -> v;
                        default -> v * v;
                    };
                }
                y.putScalar(new long[] {i, j}, switch (type) {
                    case "ReduceL2" -> Math.sqrt(s);
                    case "ReduceLogSum" -> Math.log(s);
                    default -> s;
                });
            }
        }
        return y;
    }

    @Test
    void onnxDocumentationExample() {
        // ReduceL2 of [[[1,2],[3,4]],[[5,6],[7,8]],[[9,10],[11,12]]] over axis 2, keepdims (NumPy's values).
        INDArray data = Nd4j.createFromArray(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f).reshape(3, 2, 2);
        INDArray expected = Nd4j.createFromArray(2.23606797749979f, 5.0f, 7.810249675906654f, 10.63014581273465f,
                13.45362404707371f, 16.278820596099706f).reshape(3, 2, 1);
        assertClose(expected, run("ReduceL2", 13, Map.of("axes", new long[] {2}), Tensor.of(data)).data(), 1e-6);
        assertClose(expected, run("ReduceL2", 18, Map.of(), Tensor.of(data), axes(-1)).data(), 1e-6);
        // ReduceLogSum over axes 0 and 2 without keepdims: log(1+2+5+6+9+10), log(3+4+7+8+11+12).
        assertClose(Nd4j.createFromArray(3.4965075614664802f, 3.8066624897703196f),
                run("ReduceLogSum", 13, Map.of("axes", new long[] {0, 2}, "keepdims", 0L), Tensor.of(data)).data(),
                1e-6);
    }

    @Test
    void valuesAgainstLoopsAtBothOpsets() {
        INDArray x = normal(11, 3, 4, 5);
        INDArray positive = x.mul(x).addi(0.1);
        for (String type : new String[] {"ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum"}) {
            INDArray in = type.equals("ReduceLogSum") ? positive : x;
            INDArray expected = lastAxis(in, type);
            // Opset 13: axes attribute; opset 18: axes input. keepdims 0 drops the axis.
            Tensor a = run(type, 13, Map.of("axes", new long[] {-1}, "keepdims", 0L), Tensor.of(in));
            Tensor b = run(type, 18, Map.of("keepdims", 0L), Tensor.of(in), axes(2));
            assertClose(expected, a.data(), 1e-12);
            assertClose(expected, b.data(), 1e-12);
            // keepdims defaults to 1; float32 stays float32.
            Tensor f = run(type, 18, Map.of(), Tensor.of(in.castTo(DataType.FLOAT)), axes(2));
            assertClose(expected.reshape(3, 4, 1).castTo(DataType.FLOAT), f.data(), 1e-4);
            // No axes: every axis.
            Tensor all = run(type, 13, Map.of("keepdims", 0L), Tensor.of(in));
            double s = switch (type) {
                case "ReduceL1" -> in.norm1Number().doubleValue();
                case "ReduceL2" -> in.norm2Number().doubleValue();
                case "ReduceSumSquare" -> Math.pow(in.norm2Number().doubleValue(), 2);
                default -> Math.log(in.sumNumber().doubleValue());
            };
            assertEquals(0, all.rank(), type);
            assertEquals(s, all.data().getDouble(0), 1e-9 * Math.max(1, Math.abs(s)), type);
        }
    }

    @Test
    void emptyAxesNoopAppliesOnlyTheElementwisePart() {
        Tensor x = Tensor.of(Nd4j.createFromArray(-2.0, 3.0, 0.5));
        Map<String, Object> noop = Map.of("noop_with_empty_axes", 1L);
        assertClose(Nd4j.createFromArray(2.0, 3.0, 0.5), run("ReduceL1", 18, noop, x, axes()).data(), 0);
        assertClose(Nd4j.createFromArray(2.0, 3.0, 0.5), run("ReduceL2", 18, noop, x).data(), 0);
        assertClose(Nd4j.createFromArray(4.0, 9.0, 0.25), run("ReduceSumSquare", 18, noop, x, axes()).data(), 0);
        // Without the flag, empty axes reduce everything.
        assertEquals(Math.sqrt(4 + 9 + 0.25), run("ReduceL2", 18, Map.of(), x, axes()).data().getDouble(0), 1e-12);
    }

    @Test
    void emptySetsGiveTheIdentity() {
        Tensor empty = Tensor.of(Nd4j.create(DataType.FLOAT, 2, 0, 3));
        for (String type : new String[] {"ReduceL1", "ReduceL2", "ReduceSumSquare"}) {
            assertClose(Nd4j.zeros(DataType.FLOAT, 2, 3),
                    run(type, 18, Map.of("keepdims", 0L), empty, axes(1)).data(), 0);
        }
        // log of an empty sum is -inf: an exact, non-finite expectation, so bit-equal (assertClose refuses infinities).
        Compare.assertBitEqual("ReduceLogSum of an empty set", run("ReduceLogSum", 13, Map.of("axes", new long[] {1}),
                empty).data(), Nd4j.valueArrayOf(new long[] {2, 1, 3}, Double.NEGATIVE_INFINITY, DataType.FLOAT));
    }

    @Test
    void integersRunNatively() {
        Tensor x = Tensor.of(Nd4j.createFromArray(new long[] {3, -4, 1, 2}).reshape(2, 2));
        Tensor l2 = run("ReduceL2", 13, Map.of("axes", new long[] {1}, "keepdims", 0L), x);
        assertEquals(DataType.LONG, l2.dtype());
        assertClose(Nd4j.createFromArray(new long[] {5, 2}), l2.data(), 0); // √5 = 2.23 truncates to 2
        assertClose(Nd4j.createFromArray(new long[] {7, 3}),
                run("ReduceL1", 13, Map.of("axes", new long[] {1}, "keepdims", 0L), x).data(), 0);
        assertClose(Nd4j.createFromArray(new long[] {25, 5}),
                run("ReduceSumSquare", 13, Map.of("axes", new long[] {1}, "keepdims", 0L), x).data(), 0);
    }

    @Test
    void gradients() {
        for (String type : new String[] {"ReduceL1", "ReduceL2", "ReduceSumSquare"}) {
            Tensor x = leaf(5, 3, 4, 5);
            GradCheck.check(type + " opset 13", Map.of("x", x),
                    () -> run(type, 13, Map.of("axes", new long[] {1, 2}), x));
            GradCheck.check(type + " opset 18", Map.of("x", x),
                    () -> run(type, 18, Map.of("keepdims", 0L), x, axes(0)));
        }
        Tensor p = Tensor.leaf(normal(6, 4, 6).mul(normal(6, 4, 6)).addi(0.5));
        GradCheck.check("ReduceLogSum", Map.of("x", p),
                () -> run("ReduceLogSum", 13, Map.of("axes", new long[] {1}), p));
        // The RBF pattern: ‖x_i − c_j‖ over the feature axis, gradients to inputs and centres.
        Tensor in = leaf(7, 4, 1, 6);
        Tensor centres = leaf(8, 1, 3, 6);
        GradCheck.check("distance", Map.of("x", in, "c", centres),
                () -> run("ReduceL2", 17, Map.of("axes", new long[] {2}, "keepdims", 0L), F.sub(in, centres)));
    }

    @Test
    void l2GradientIsZeroWhereTheNormIsZero() {
        // Row 0 is all zeros (an input sitting on its centre): PyTorch's norm gives it gradient 0, not NaN.
        INDArray data = normal(9, 3, 4);
        data.getRow(0).assign(0);
        Tensor x = Tensor.leaf(data);
        Tensor y = run("ReduceL2", 13, Map.of("axes", new long[] {1}, "keepdims", 0L), x);
        assertClose(Nd4j.createFromArray(0.0, data.getRow(1).norm2Number().doubleValue(),
                data.getRow(2).norm2Number().doubleValue()), y.data(), 1e-12);
        F.sum(y, false).backward();
        INDArray g = x.grad();
        assertFalse(g.isNaN().any() || g.isInfinite().any(), g.toString());
        assertClose(Nd4j.zeros(DataType.DOUBLE, 4), g.getRow(0), 0);
        assertClose(data.getRow(1).div(data.getRow(1).norm2Number()), g.getRow(1), 1e-12);
        // And the rows away from zero still pass the finite-difference check with the masked form in the graph.
        GradCheck.check("ReduceL2 with a zero row", Map.of("x", x),
                () -> run("ReduceL2", 13, Map.of("axes", new long[] {1}, "keepdims", 0L), x));
    }

    @Test
    void refusals() {
        Tensor x = Tensor.of(normal(1, 2, 3));
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> run("ReduceL2", 13, Map.of("axes", new long[] {2}), x));
        assertTrue(e.getMessage().contains("n_ReduceL2"), e.getMessage());
        assertThrows(OnnxImportException.class, () -> run("ReduceL1", 18, Map.of(), x, axes(0, -2)));
        assertThrows(OnnxImportException.class, () -> run("ReduceSumSquare", 18, Map.of(), x, axes(-3)));
        Tensor bools = Tensor.of(Nd4j.createFromArray(true, false));
        assertThrows(OnnxImportException.class, () -> run("ReduceL2", 13, Map.of(), bools));
        assertThrows(OnnxImportException.class,
                () -> run("ReduceL2", 18, Map.of("noop_with_empty_axes", 1L), bools, axes()));
    }
}

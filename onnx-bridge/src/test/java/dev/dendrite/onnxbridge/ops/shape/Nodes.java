package dev.dendrite.onnxbridge.ops.shape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runs one converter on one node, and the small tensors the shape tests share. */
final class Nodes {
    private Nodes() {}

    /** A node description: op type, opset, attributes (key, value pairs) and output count. */
    static OnnxOp op(String type, int opset, int outputs, Object... attrs) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < attrs.length; i += 2) {
            m.put((String) attrs[i], attrs[i + 1]);
        }
        return new OnnxOp(type, "", "node_" + type.toLowerCase(), opset, m, outputs, false);
    }

    static Tensor[] run(OnnxConverter c, OnnxOp op, Tensor... inputs) {
        return c.convert(op, inputs);
    }

    static Tensor run1(OnnxConverter c, OnnxOp op, Tensor... inputs) {
        return run(c, op, inputs)[0];
    }

    static Tensor longs(long... v) {
        return Tensor.of(Nd4j.createFromArray(v));
    }

    /** 0, 1, 2, ... as float32 in the given shape. */
    static Tensor iota(long... shape) {
        return iota(DataType.FLOAT, shape);
    }

    static Tensor iota(DataType type, long... shape) {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        return Tensor.of(Nd4j.arange(n).castTo(type).reshape(shape));
    }

    /** A float64 leaf of seeded normal values. */
    static Tensor leaf(long seed, long... shape) {
        Random r = new Random(seed);
        double[] v = new double[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Tensor.leaf(Nd4j.create(v, shape, DataType.DOUBLE));
    }

    static void assertShape(Tensor t, long... expected) {
        assertArrayEquals(expected, t.shape(), () -> "shape " + Arrays.toString(t.shape()));
    }

    /** Shape, then values in C order (exactly: these tests use small integers). */
    static void assertValues(Tensor t, long[] shape, double... expected) {
        assertShape(t, shape);
        INDArray flat = t.data().dup('c').reshape(new long[] {t.data().length()}).castTo(DataType.DOUBLE);
        assertEquals(expected.length, flat.length(), "element count");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], flat.getDouble(i), 1e-9, "element " + i + " of " + flat);
        }
    }

    static long[] shape(long... s) {
        return s;
    }
}

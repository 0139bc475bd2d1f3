package dev.dendrite.onnxbridge.ops.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Ops, seeded tensors and assertions for the math converter tests. */
final class MathTestSupport {
    private MathTestSupport() {}

    static OnnxOp op(String type, int opset, Map<String, Object> attrs) {
        return op(type, opset, attrs, 1, false);
    }

    static OnnxOp op(String type, int opset, Map<String, Object> attrs, int outputs, boolean training) {
        return new OnnxOp(type, "", "n_" + type, opset, attrs, outputs, training);
    }

    /** Standard normal float64 values from {@code seed}. */
    static INDArray normal(long seed, long... shape) {
        Random r = new Random(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, r.nextGaussian());
        }
        return a;
    }

    static Tensor leaf(long seed, long... shape) {
        return Tensor.leaf(normal(seed, shape));
    }

    /** Same dtype, then {@link Compare#assertClose}: same shape, every value finite, max abs difference <= tol. */
    static void assertClose(INDArray expected, INDArray actual, double tol) {
        assertEquals(expected.dataType(), actual.dataType(), "dtype");
        Compare.assertClose("converter output", actual, expected, tol);
    }
}

package dev.dendrite.onnxbridge.ops.math;

import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.assertClose;
import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.normal;
import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.testkit.GradCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Reciprocal: 1/x with its gradient −1/x², as PyTorch exports 1 / (2σ²). */
class ReciprocalConverterTest {
    private static Tensor run(Tensor x) {
        return new ReciprocalConverter().convert(op("Reciprocal", 13, Map.of()), new Tensor[] {x})[0];
    }

    @Test
    void values() {
        // 1/0 = +inf is part of the expectation: bit-equal (every value here is exact in float32), since
        // assertClose refuses non-finite values.
        Compare.assertBitEqual("Reciprocal", run(Tensor.of(Nd4j.createFromArray(-4f, 0.5f, 10f, 0f))).data(),
                Nd4j.createFromArray(-0.25f, 2f, 0.1f, Float.POSITIVE_INFINITY));
        Tensor d = run(Tensor.of(Nd4j.createFromArray(3.0).reshape())); // 0-d stays 0-d
        assertEquals(0, d.rank());
        assertEquals(1.0 / 3, d.data().getDouble(0), 1e-15);
    }

    @Test
    void gradient() {
        // σ > 0 as an RBF width: y = 1 / (2σ²).
        Tensor sigma = Tensor.leaf(normal(2, 6).mul(normal(2, 6)).addi(0.5));
        GradCheck.check("reciprocal", Map.of("sigma", sigma), () -> run(F.mul(F.mul(sigma, sigma), 2.0)));
    }

    @Test
    void integersAreRefused() {
        assertThrows(OnnxImportException.class,
                () -> run(Tensor.of(Nd4j.createFromArray(new long[] {2}).castTo(DataType.LONG))));
    }
}

package dev.dendrite.onnxbridge.ops.math;

import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.assertClose;
import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.leaf;
import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.op;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.GradCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Sin and Cos: values, dtypes, gradients, and the random-Fourier-feature pattern cos(x Wᵀ + b). */
class TrigConverterTest {
    private static Tensor run(String type, Tensor x) {
        return new TrigConverter().convert(op(type, 7, Map.of()), new Tensor[] {x})[0];
    }

    @Test
    void values() {
        Tensor x = Tensor.of(Nd4j.createFromArray(-1.0, 0.0, 0.5, 2.0, Math.PI));
        assertClose(Nd4j.createFromArray(0.5403023058681398, 1.0, 0.8775825618903728, -0.4161468365471424, -1.0),
                run("Cos", x).data(), 1e-12);
        assertClose(Nd4j.createFromArray(-0.8414709848078965, 0.0, 0.479425538604203, 0.9092974268256817,
                Math.sin(Math.PI)), run("Sin", x).data(), 1e-12);
        Tensor f = Tensor.of(Nd4j.createFromArray(0.25f, -3f));
        assertClose(Nd4j.createFromArray((float) Math.cos(0.25), (float) Math.cos(-3)), run("Cos", f).data(), 1e-7);
        Tensor empty = Tensor.of(Nd4j.create(DataType.FLOAT, 0, 3));
        assertClose(empty.data(), run("Sin", empty).data(), 0);
    }

    @Test
    void gradients() {
        Tensor x = leaf(3, 4, 5);
        GradCheck.check("cos", Map.of("x", x), () -> run("Cos", x));
        GradCheck.check("sin", Map.of("x", x), () -> run("Sin", x));
        // Random Fourier features: gradients reach the input, W and b.
        Tensor in = leaf(4, 3, 6);
        Tensor w = leaf(5, 8, 6);
        Tensor b = leaf(6, 8);
        GradCheck.check("rff", Map.of("x", in, "W", w, "b", b),
                () -> F.mul(run("Cos", F.add(F.matmul(in, F.transpose(w)), b)), Math.sqrt(2.0 / 8)));
    }

    @Test
    void integersAreRefused() {
        Tensor ints = Tensor.of(Nd4j.createFromArray(1, 2));
        assertThrows(OnnxImportException.class, () -> run("Cos", ints));
        assertThrows(OnnxImportException.class, () -> run("Sin", ints));
    }
}

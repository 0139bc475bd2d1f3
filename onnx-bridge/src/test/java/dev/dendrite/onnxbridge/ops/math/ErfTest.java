package dev.dendrite.onnxbridge.ops.math;

import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.assertClose;
import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.leaf;

import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.GradCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The Erf primitive. */
class ErfTest {
    @Test
    void values() {
        Tensor x = Tensor.of(Nd4j.createFromArray(-1.0, 0.0, 0.5, 2.0));
        assertClose(Nd4j.createFromArray(-0.8427007929497149, 0.0, 0.5204998778130465, 0.9953222650189527),
                Erf.erf(x).data(), 1e-12);
    }

    @Test
    void gradient() {
        Tensor x = leaf(3, 4, 5);
        GradCheck.check("erf", Map.of("x", x), () -> Erf.erf(x));
    }
}

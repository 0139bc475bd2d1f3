package dev.dendrite.basic.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.optim.Optimizer;
import dev.dendrite.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** A parameter that first gets a gradient on step 2 is on its own first step then, as in PyTorch. */
class PerParameterStepTest {

    @Test
    void adamBiasCorrectionCountsEachParametersOwnSteps() {
        Tensor a = Tensor.leaf(Nd4j.createFromArray(1.0, 1.0));
        Tensor b = Tensor.leaf(Nd4j.createFromArray(1.0, 1.0));
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("a", a);
        params.put("b", b);
        Optimizer adam = new AdamProvider().create(new AdamProvider.Config(0.1, 0.9, 0.999, 1e-8, 0.0, false),
                params);
        Fixture.setGrad(a, new double[] {0.5, -0.5});
        adam.step();
        assertEquals(1.0, b.data().getDouble(0), 0.0, "no gradient, no update");
        Fixture.setGrad(a, new double[] {0.5, -0.5});
        Fixture.setGrad(b, new double[] {0.2, -3.0});
        adam.step();
        // Adam's first update is lr·g/(|g| + eps·...) ≈ lr·sign(g), whatever the global step.
        assertEquals(1.0 - 0.1, b.data().getDouble(0), 1e-6);
        assertEquals(1.0 + 0.1, b.data().getDouble(1), 1e-6);
        assertEquals(2, adam.state().get("a/step").getLong(0));
        assertEquals(1, adam.state().get("b/step").getLong(0));
    }

    @Test
    void sgdMomentumBufferStartsAsTheFirstGradientEvenWithDampening() {
        Tensor a = Tensor.leaf(Nd4j.createFromArray(0.0));
        Tensor b = Tensor.leaf(Nd4j.createFromArray(0.0));
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("a", a);
        params.put("b", b);
        Optimizer sgd = new SgdProvider().create(new SgdProvider.Config(1.0, 0.9, 0.5, false, 0.0), params);
        Fixture.setGrad(a, new double[] {1.0});
        sgd.step();
        Fixture.setGrad(b, new double[] {2.0});
        sgd.step();
        // Undamped on the parameter's first step: the buffer is the gradient itself.
        assertEquals(-2.0, b.data().getDouble(0), 0.0);
    }
}

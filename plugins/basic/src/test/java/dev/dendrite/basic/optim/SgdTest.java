package dev.dendrite.basic.optim;

import static dev.dendrite.basic.optim.Fixture.GRADS;
import static dev.dendrite.basic.optim.Fixture.P0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** {@code torch.optim.SGD}'s algorithm box, replayed per element in plain doubles. */
class SgdTest {
    private final SgdProvider provider = new SgdProvider();

    /** Scalar transcription of the PyTorch SGD algorithm (buffer = g on the first step). */
    private static double[] reference(double lr, double momentum, double dampening, boolean nesterov, double wd) {
        double[] out = new double[P0.length];
        for (int i = 0; i < P0.length; i++) {
            double p = P0[i];
            double buf = 0;
            for (int s = 0; s < GRADS.length; s++) {
                double g = GRADS[s][i] + wd * p;
                if (momentum != 0) {
                    buf = s == 0 ? g : momentum * buf + (1 - dampening) * g;
                    g = nesterov ? g + momentum * buf : buf;
                }
                p = p - lr * g;
            }
            out[i] = p;
        }
        return out;
    }

    private double[] run(SgdProvider.Config c) {
        Tensor p = Fixture.param();
        return Fixture.threeSteps(Fixture.create(provider, c, p), p);
    }

    @Test
    void plain() {
        double[] expected = reference(0.1, 0, 0, false, 0);
        // By hand: p - 0.1 * (g1 + g2 + g3) = p - 0.1 * {0.4, -0.7, 0.6}.
        assertArrayEquals(new double[] {0.46, -1.13, 1.94}, expected, 1e-15);
        Fixture.assertClose(expected, run(new SgdProvider.Config(0.1, 0, 0, false, 0)));
    }

    @Test
    void nesterovMomentumWithWeightDecay() {
        double[] expected = reference(0.1, 0.9, 0, true, 0.01);
        // torch 1.13.1 (python3-torch), SGD(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01).
        Fixture.assertClose(new double[] {0.43695096198049993, -1.0276244155992, 1.743601143562}, expected);
        Fixture.assertClose(expected, run(new SgdProvider.Config(0.1, 0.9, 0, true, 0.01)));
    }

    @Test
    void dampenedMomentumSkipsDampeningOnTheFirstStep() {
        double[] expected = reference(0.1, 0.8, 0.3, false, 0.05);
        // torch 1.13.1, SGD(lr=0.1, momentum=0.8, dampening=0.3, weight_decay=0.05).
        Fixture.assertClose(new double[] {0.466065471875, -1.084018859, 1.7731696475}, expected);
        Fixture.assertClose(expected, run(new SgdProvider.Config(0.1, 0.8, 0.3, false, 0.05)));
    }

    @Test
    void gradientIsNotModified() {
        Tensor p = Fixture.param();
        var opt = Fixture.create(provider, new SgdProvider.Config(0.1, 0.9, 0, true, 0.5), p);
        Fixture.setGrad(p, GRADS[0]);
        opt.step();
        assertArrayEquals(GRADS[0], p.grad().toDoubleVector(), 0);
    }
}

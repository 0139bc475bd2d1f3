package dev.dendrite.basic.optim;

import static dev.dendrite.basic.optim.Fixture.GRADS;
import static dev.dendrite.basic.optim.Fixture.P0;

import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Adagrad against a scalar transcription of PyTorch's {@code torch.optim.Adagrad} algorithm box. */
class AdagradTest {
    private static double[] reference(double lr, double lrDecay, double wd, double initialAccumulator,
            double eps) {
        double[] out = new double[P0.length];
        for (int i = 0; i < P0.length; i++) {
            double p = P0[i];
            double sum = initialAccumulator;
            for (int s = 0; s < GRADS.length; s++) {
                int t = s + 1;
                double g = GRADS[s][i] + wd * p;
                double clr = lr / (1 + (t - 1) * lrDecay);
                sum = sum + g * g;
                p = p - clr * g / (Math.sqrt(sum) + eps);
            }
            out[i] = p;
        }
        return out;
    }

    private static double[] run(AdagradProvider.Config c) {
        Tensor p = Fixture.param();
        return Fixture.threeSteps(Fixture.create(new AdagradProvider(), c, p), p);
    }

    @Test
    void defaultsAtLr01() {
        double[] expected = reference(0.1, 0, 0, 0, 1e-10);
        // torch 1.13.1 (python3-torch), Adagrad(lr=0.1).
        Fixture.assertClose(new double[] {0.4108502064160769, -1.0697557339384307, 1.9235367381029846}, expected);
        Fixture.assertClose(expected, run(new AdagradProvider.Config(0.1, 0, 0, 0, 1e-10)));
    }

    @Test
    void lrDecayWeightDecayAndInitialAccumulator() {
        double[] expected = reference(0.1, 0.5, 0.1, 0.2, 1e-6);
        // torch 1.13.1, Adagrad(lr=0.1, lr_decay=0.5, weight_decay=0.1, initial_accumulator_value=0.2, eps=1e-6).
        Fixture.assertClose(new double[] {0.46882437255087495, -1.1031212018115697, 1.897091831747835}, expected);
        Fixture.assertClose(expected, run(new AdagradProvider.Config(0.1, 0.5, 0.1, 0.2, 1e-6)));
    }
}

package dev.dendrite.basic.optim;

import static dev.dendrite.basic.optim.Fixture.GRADS;
import static dev.dendrite.basic.optim.Fixture.P0;

import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** RMSprop against a scalar transcription of PyTorch's {@code torch.optim.RMSprop} algorithm box. */
class RmsPropTest {
    private static double[] reference(double lr, double alpha, double eps, double wd, double momentum,
            boolean centered) {
        double[] out = new double[P0.length];
        for (int i = 0; i < P0.length; i++) {
            double p = P0[i];
            double sq = 0;
            double gAvg = 0;
            double buf = 0;
            for (int s = 0; s < GRADS.length; s++) {
                double g = GRADS[s][i] + wd * p;
                sq = alpha * sq + (1 - alpha) * g * g;
                double denom;
                if (centered) {
                    gAvg = alpha * gAvg + (1 - alpha) * g;
                    denom = Math.sqrt(sq - gAvg * gAvg) + eps;
                } else {
                    denom = Math.sqrt(sq) + eps;
                }
                if (momentum > 0) {
                    buf = momentum * buf + g / denom;
                    p = p - lr * buf;
                } else {
                    p = p - lr * g / denom;
                }
            }
            out[i] = p;
        }
        return out;
    }

    private static double[] run(RmsPropProvider.Config c) {
        Tensor p = Fixture.param();
        return Fixture.threeSteps(Fixture.create(new RmsPropProvider(), c, p), p);
    }

    @Test
    void defaults() {
        double[] expected = reference(0.01, 0.99, 1e-8, 0, 0, false);
        // torch 1.13.1 (python3-torch), RMSprop(lr=0.01).
        Fixture.assertClose(new double[] {0.4107611678575135, -1.0697565007152974, 1.9237786305973485}, expected);
        Fixture.assertClose(expected, run(new RmsPropProvider().defaultConfig()));
    }

    @Test
    void centeredWithMomentumAndWeightDecay() {
        double[] expected = reference(0.02, 0.9, 1e-6, 0.1, 0.5, true);
        // torch 1.13.1, RMSprop(lr=0.02, alpha=0.9, eps=1e-6, momentum=0.5, centered=True, weight_decay=0.1).
        Fixture.assertClose(new double[] {0.4148516293049179, -1.0439597309948574, 1.8624082533608362}, expected);
        Fixture.assertClose(expected, run(new RmsPropProvider.Config(0.02, 0.9, 1e-6, 0.1, 0.5, true)));
    }
}

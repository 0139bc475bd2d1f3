package dev.dendrite.basic.optim;

import static dev.dendrite.basic.optim.Fixture.GRADS;
import static dev.dendrite.basic.optim.Fixture.P0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Adam and AdamW against a scalar transcription of PyTorch's algorithm (Kingma &amp; Ba 2015, Algorithm 1;
 * AMSGrad keeps the running max of the raw second moment; AdamW shrinks p by {@code 1 - lr * wd} first).
 */
class AdamTest {
    private static double[] reference(double lr, double b1, double b2, double eps, double wd, boolean amsgrad,
            boolean decoupled) {
        double[] out = new double[P0.length];
        for (int i = 0; i < P0.length; i++) {
            double p = P0[i];
            double m = 0;
            double v = 0;
            double vMax = 0;
            for (int s = 0; s < GRADS.length; s++) {
                int t = s + 1;
                double g = GRADS[s][i];
                if (decoupled) {
                    p = p * (1 - lr * wd);
                } else {
                    g = g + wd * p;
                }
                m = b1 * m + (1 - b1) * g;
                v = b2 * v + (1 - b2) * g * g;
                vMax = Math.max(vMax, v);
                double second = amsgrad ? vMax : v;
                double mHat = m / (1 - Math.pow(b1, t));
                double vHat = second / (1 - Math.pow(b2, t));
                p = p - lr * mHat / (Math.sqrt(vHat) + eps);
            }
            out[i] = p;
        }
        return out;
    }

    private static double[] adam(AdamProvider.Config c) {
        Tensor p = Fixture.param();
        return Fixture.threeSteps(Fixture.create(new AdamProvider(), c, p), p);
    }

    private static double[] adamw(AdamWProvider.Config c) {
        Tensor p = Fixture.param();
        return Fixture.threeSteps(Fixture.create(new AdamWProvider(), c, p), p);
    }

    @Test
    void adamDefaultsAtLr001() {
        double[] expected = reference(0.01, 0.9, 0.999, 1e-8, 0, false, false);
        // torch 1.13.1 (python3-torch), Adam(lr=0.01).
        Fixture.assertClose(new double[] {0.49228415530469755, -1.182502959693453, 1.9794745856583684}, expected);
        Fixture.assertClose(expected, adam(new AdamProvider.Config(0.01, 0.9, 0.999, 1e-8, 0, false)));
    }

    @Test
    void adamAmsgradWithL2WeightDecay() {
        double[] expected = reference(0.05, 0.8, 0.95, 1e-6, 0.1, true, false);
        // torch 1.13.1, Adam(lr=0.05, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1, amsgrad=True).
        Fixture.assertClose(new double[] {0.4505808964878478, -1.0883092644562349, 1.882910230440088}, expected);
        Fixture.assertClose(expected, adam(new AdamProvider.Config(0.05, 0.8, 0.95, 1e-6, 0.1, true)));
    }

    @Test
    void amsgradChangesTheResultWhenTheSecondMomentShrinks() {
        // Element 2's v drops at step 2 (0.8^2 then 0.05^2), so the max must matter there.
        double with = reference(0.05, 0.8, 0.95, 1e-6, 0.1, true, false)[2];
        double without = reference(0.05, 0.8, 0.95, 1e-6, 0.1, false, false)[2];
        assertEquals(false, Math.abs(with - without) < 1e-6);
        assertEquals(without, adam(new AdamProvider.Config(0.05, 0.8, 0.95, 1e-6, 0.1, false))[2], Fixture.TOL);
    }

    @Test
    void adamwDefaultDecayAtLr001() {
        double[] expected = reference(0.01, 0.9, 0.999, 1e-8, 0.01, false, true);
        // torch 1.13.1, AdamW(lr=0.01) (weight_decay defaults to 0.01).
        Fixture.assertClose(new double[] {0.49213561070052275, -1.1821451401127105, 1.9788773607495125}, expected);
        AdamWProvider.Config defaults = new AdamWProvider().defaultConfig();
        assertEquals(0.01, defaults.weightDecay());
        Fixture.assertClose(expected, adamw(new AdamWProvider.Config(0.01, defaults.beta1(), defaults.beta2(),
                defaults.eps(), defaults.weightDecay(), defaults.amsgrad())));
    }

    @Test
    void adamwAmsgradWithStrongDecay() {
        double[] expected = reference(0.05, 0.85, 0.99, 1e-6, 0.2, true, true);
        // torch 1.13.1, AdamW(lr=0.05, betas=(0.85, 0.99), eps=1e-6, weight_decay=0.2, amsgrad=True).
        Fixture.assertClose(new double[] {0.447143533957004, -1.078558451631823, 1.8422345209800388}, expected);
        Fixture.assertClose(expected, adamw(new AdamWProvider.Config(0.05, 0.85, 0.99, 1e-6, 0.2, true)));
    }

    @Test
    void adamwWithoutDecayEqualsAdam() {
        Fixture.assertClose(adam(new AdamProvider.Config(0.02, 0.9, 0.99, 1e-8, 0, false)),
                adamw(new AdamWProvider.Config(0.02, 0.9, 0.99, 1e-8, 0, false)));
    }
}

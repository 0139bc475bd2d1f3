package dev.dendrite.reference.generative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.random.Rng;
import dev.dendrite.reference.run.Engine;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VaeTest {
    private static final int IN = 4;
    private static final int HIDDEN = 3;
    private static final int LATENT = 2;
    private static final double[][] X = {{0, 0.2, 0.9, 1}, {0.5, 1, 0, 0.3}};
    private static final double[][] EPS = {{0.3, -1.2}, {1.5, 0.1}};

    /** A small, fixed, non-symmetric value for weight (i, j) of the parameter {@code name}. */
    private static double w(String name, int i, int j) {
        return 0.1 * Math.sin(1.3 * i + 0.7 * j + name.length());
    }

    /** A tiny VAE whose every parameter is set by {@link #w}. */
    private static Vae fixed() {
        Vae vae = new Vae(new Engine(1), IN, HIDDEN, LATENT);
        vae.parameters().forEach((name, p) -> {
            INDArray a = p.data();
            for (int i = 0; i < a.size(0); i++) {
                for (int j = 0; j < (a.rank() == 2 ? a.size(1) : 1); j++) {
                    if (a.rank() == 2) {
                        a.putScalar(i, j, w(name, i, j));
                    } else {
                        a.putScalar(i, w(name, i, 99));
                    }
                }
            }
        });
        return vae;
    }

    private static double[][] get(Map<String, Tensor> p, String name) {
        return p.get(name).data().castTo(DataType.DOUBLE).reshape(p.get(name).shape()[0], -1).toDoubleMatrix();
    }

    /** y = W·x + b with W [out, in]. */
    private static double[] dense(Map<String, Tensor> p, String layer, double[] x, boolean relu) {
        double[][] weight = get(p, layer + ".weight");
        double[][] bias = get(p, layer + ".bias");
        double[] y = new double[weight.length];
        for (int o = 0; o < y.length; o++) {
            double s = bias[o][0];
            for (int i = 0; i < x.length; i++) {
                s += weight[o][i] * x[i];
            }
            y[o] = relu ? Math.max(0, s) : s;
        }
        return y;
    }

    @Test
    void elboEqualsTheHandComputedBound() {
        Vae vae = fixed();
        Map<String, Tensor> p = vae.parameters();
        double elbo = 0;
        double recon = 0;
        double kl = 0;
        for (int n = 0; n < X.length; n++) {
            double[] h = dense(p, "encoder.hidden", X[n], true);
            double[] mu = dense(p, "mean.mu", h, false);
            double[] lv = dense(p, "logvar.logvar", h, false);
            double[] z = new double[LATENT];
            double klN = 0;
            for (int j = 0; j < LATENT; j++) {
                z[j] = mu[j] + Math.exp(lv[j] / 2) * EPS[n][j];
                klN += -0.5 * (1 + lv[j] - mu[j] * mu[j] - Math.exp(lv[j]));
            }
            double[] logits = dense(p, "decoder.logits", dense(p, "decoder.hidden", z, true), false);
            double ll = 0;
            for (int i = 0; i < IN; i++) {
                double prob = 1 / (1 + Math.exp(-logits[i]));
                ll += X[n][i] * Math.log(prob) + (1 - X[n][i]) * Math.log(1 - prob); // the Bernoulli log-likelihood
            }
            recon += ll / X.length;
            kl += klN / X.length;
            elbo += (ll - klN) / X.length;
        }
        Vae.Elbo e = vae.elbo(Nd4j.createFromArray(X).castTo(DataType.FLOAT), Nd4j.createFromArray(EPS)
                .castTo(DataType.FLOAT));
        assertEquals(recon, e.reconstruction().item(), 1e-5);
        assertEquals(kl, e.kl().item(), 1e-6);
        assertEquals(elbo, e.elbo().item(), 1e-5);
    }

    @Test
    void klTermIsTheClosedFormDivergenceFromTheStandardNormal() {
        Vae vae = fixed();
        Map<String, Tensor> p = vae.parameters();
        // Heads that ignore the input: μ = (0.5, −1), σ = (2, 0.25), so KL = Σ log(1/σ) + (σ² + μ² − 1)/2.
        p.get("mean.mu.weight").data().assign(0);
        p.get("logvar.logvar.weight").data().assign(0);
        p.get("mean.mu.bias").data().assign(Nd4j.createFromArray(0.5f, -1f));
        double[] sigma = {2, 0.25};
        p.get("logvar.logvar.bias").data().assign(Nd4j.createFromArray((float) Math.log(4), (float) Math.log(0.0625)));
        double[] mu = {0.5, -1};
        double expected = 0;
        for (int j = 0; j < 2; j++) {
            expected += Math.log(1 / sigma[j]) + (sigma[j] * sigma[j] + mu[j] * mu[j] - 1) / 2;
        }
        Vae.Elbo e = vae.elbo(Nd4j.createFromArray(X).castTo(DataType.FLOAT), Nd4j.zeros(DataType.FLOAT, 2, LATENT));
        assertEquals(expected, e.kl().item(), 1e-5);
        // The prior itself: no divergence.
        p.get("mean.mu.bias").data().assign(0);
        p.get("logvar.logvar.bias").data().assign(0);
        assertEquals(0, vae.elbo(Nd4j.createFromArray(X).castTo(DataType.FLOAT), Nd4j.zeros(DataType.FLOAT, 2, LATENT))
                .kl().item(), 1e-7);
    }

    @Test
    void gradientsReachTheEncoderThroughTheSampleAndASeedFixesTheRun() {
        INDArray x = Nd4j.createFromArray(X).castTo(DataType.FLOAT);
        double[] losses = new double[2];
        for (int run = 0; run < 2; run++) {
            Engine engine = new Engine(11);
            Vae vae = new Vae(engine, IN, HIDDEN, LATENT);
            Tensor loss = vae.loss(Tensor.of(x), engine.rng());
            loss.backward();
            losses[run] = loss.item();
            // The log-variance head gets gradient from the reconstruction only through z = μ + σ·ε.
            assertTrue(vae.parameters().get("logvar.logvar.weight").grad().norm2Number().doubleValue() > 0);
            assertTrue(vae.parameters().get("encoder.hidden.weight").grad().norm2Number().doubleValue() > 0);
        }
        assertEquals(losses[0], losses[1], 0, "same seed, same noise, same loss");
        Engine other = new Engine(12);
        assertTrue(new Vae(other, IN, HIDDEN, LATENT).loss(Tensor.of(x), other.rng()).item() != losses[0]);
    }

    @Test
    void evaluationIsTheMeanBoundOverAllRows() {
        Vae vae = fixed();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2500, IN);
        double[] all = vae.evaluate(x, new Rng(5));
        assertEquals(all[1] - all[2], all[0], 1e-4, "elbo = reconstruction − kl");
        assertTrue(all[0] < 0 && all[2] >= 0);
        double[] again = vae.evaluate(x, new Rng(5));
        assertEquals(all[0], again[0], 0, "the same noise gives the same figure");
    }
}

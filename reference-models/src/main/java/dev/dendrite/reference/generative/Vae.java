package dev.dendrite.reference.generative;

import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.Module;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.reference.run.Engine;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Kingma and Welling's (2014) variational autoencoder, §3 and appendix C: an MLP encoder gives a Gaussian
 * q(z|x) = N(μ, diag σ²) through a mean head and a log-variance head, z = μ + σ·ε with ε ~ N(0, I) (the
 * reparameterisation, so gradients reach the encoder through the sample), and an MLP decoder gives a Bernoulli
 * p(x|z) per pixel through its logits. Hidden units are ReLU where the paper used tanh.
 */
final class Vae extends Module {
    private final Layer encoder;
    private final Layer mean;
    private final Layer logVariance;
    private final Layer decoder;
    private final int latent;

    /** {@code in}-{@code hidden}-(μ, log σ²: {@code latent} each), decoder {@code latent}-{@code hidden}-{@code in}. */
    Vae(Engine engine, int in, int hidden, int latent) {
        super("vae");
        this.latent = latent;
        this.encoder = child("encoder", engine.sequential("[" + dense("hidden", in, hidden)
                + ", {\"type\": \"relu\"}]"));
        this.mean = child("mean", engine.sequential("[" + dense("mu", hidden, latent) + "]"));
        this.logVariance = child("logvar", engine.sequential("[" + dense("logvar", hidden, latent) + "]"));
        this.decoder = child("decoder", engine.sequential("[" + dense("hidden", latent, hidden)
                + ", {\"type\": \"relu\"}, " + dense("logits", hidden, in) + "]"));
    }

    private static String dense(String name, int in, int out) {
        return "{\"type\": \"dense\", \"name\": \"%s\", \"config\": {\"in\": %d, \"out\": %d}}"
                .formatted(name, in, out);
    }

    int latent() {
        return latent;
    }

    /** The terms of the bound, each a mean over the batch's images, in nats: elbo = reconstruction − kl. */
    record Elbo(Tensor elbo, Tensor reconstruction, Tensor kl) {}

    /**
     * The single-sample estimate of the evidence lower bound (the paper's eq. 10 with L = 1):
     * log p(x|z) − KL(q(z|x) ‖ N(0, I)) with z = μ + exp(½ log σ²)·ε, ε ~ N(0, I) drawn by a random primitive
     * seeded from {@code rng} (so a compiled step draws a new ε on every replay).
     *
     * @param input [batch, in] targets in [0, 1] (Bernoulli means; binary or grey-level)
     */
    Elbo elbo(Tensor input, Rng rng) {
        return elbo(input, mu -> F.randomNormal(mu, rng.nextLong()));
    }

    /** The same with a given ε [batch, latent] (tests compare with PyTorch on fixed noise). */
    Elbo elbo(INDArray x, INDArray noise) {
        return elbo(Tensor.of(x), mu -> Tensor.of(noise));
    }

    private Elbo elbo(Tensor input, java.util.function.UnaryOperator<Tensor> epsilonLike) {
        Tensor h = encoder.forward(input);
        Tensor mu = mean.forward(h);
        Tensor logVar = logVariance.forward(h);
        Tensor noise = epsilonLike.apply(mu);
        Tensor z = F.add(mu, F.mul(F.exp(F.mul(logVar, 0.5)), noise));
        Tensor logits = decoder.forward(z);
        // log p(x|z) = Σ x·l − softplus(l), the negative of BCE-with-logits; F.softplus is the overflow-free form.
        Tensor logLikelihood = F.sum(F.sub(F.mul(input, logits), F.softplus(logits)), false, 1);
        // KL(N(μ, σ²) ‖ N(0, 1)) in closed form, appendix B: −½ Σ (1 + log σ² − μ² − σ²).
        Tensor kl = F.mul(F.sum(F.sub(F.sub(F.add(logVar, 1.0), F.mul(mu, mu)), F.exp(logVar)), false, 1), -0.5);
        Tensor reconstruction = F.mean(logLikelihood, false);
        Tensor klMean = F.mean(kl, false);
        return new Elbo(F.sub(reconstruction, klMean), reconstruction, klMean);
    }

    /** The training objective: the negative ELBO, with ε drawn from {@code rng}. */
    Tensor loss(Tensor x, Rng rng) {
        return F.neg(elbo(x, rng).elbo());
    }

    /**
     * The ELBO per image over all rows of {@code x}, [elbo, reconstruction, kl], with ε from {@code rng}: evaluation
     * mode, no gradients, 1000 rows at a time.
     */
    double[] evaluate(INDArray x, Rng rng) {
        double[] sums = new double[3];
        boolean wasTraining = isTraining();
        train(false);
        try (var off = GradMode.off()) {
            for (long from = 0; from < x.size(0); from += 1000) {
                long to = Math.min(x.size(0), from + 1000);
                INDArray rows = x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup();
                Elbo e = elbo(Tensor.of(rows), rng);
                sums[0] += e.elbo().item() * (to - from);
                sums[1] += e.reconstruction().item() * (to - from);
                sums[2] += e.kl().item() * (to - from);
            }
        } finally {
            train(wasTraining);
        }
        for (int i = 0; i < 3; i++) {
            sums[i] /= x.size(0);
        }
        return sums;
    }

    /** Reconstruction means with z = μ, the posterior's mode: the model's forward pass, [batch, in] in [0, 1]. */
    @Override
    protected Tensor call(Tensor x) {
        return F.sigmoid(decoder.forward(mean.forward(encoder.forward(x))));
    }

    /** The decoder as a model of its own, z [batch, latent] to Bernoulli means [batch, in]: sampling and ONNX. */
    Layer decoderMeans() {
        return new Means(decoder);
    }

    /** p(x|z)'s means: the sigmoid of the decoder's logits. */
    private static final class Means extends Module {
        private final Layer decoder;

        Means(Layer decoder) {
            super("vae_decoder");
            // Attached as "decoder", as in the VAE, so the parameters keep their names in the exported file.
            this.decoder = child("decoder", decoder);
        }

        @Override
        protected Tensor call(Tensor z) {
            return F.sigmoid(decoder.forward(z));
        }
    }
}

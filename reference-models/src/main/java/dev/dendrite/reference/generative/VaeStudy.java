package dev.dendrite.reference.generative;

import dev.dendrite.data.ArrayDataset;
import dev.dendrite.data.DataLoader;
import dev.dendrite.gan.ImageGrid;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.random.Rng;
import dev.dendrite.reference.data.PixelScale;
import dev.dendrite.reference.models.Study;
import dev.dendrite.reference.report.Charts;
import dev.dendrite.reference.report.StudyReport;
import dev.dendrite.reference.run.Engine;
import dev.dendrite.tensor.CompiledStep;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.reference.run.OnnxExport;
import dev.dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Kingma and Welling (2014), "Auto-Encoding Variational Bayes": a VAE trained by stochastic gradients on the
 * reparameterised lower bound, the test-set ELBO measured after every epoch, and images decoded from the prior.
 */
public final class VaeStudy implements Study {
    static final int HIDDEN = 500;
    static final int LATENT = 20;
    static final int EPOCHS = 8;
    static final int BATCH = 100;
    static final double LR = 1e-3;
    /** Offsets the evaluation noise's seed from the run's, so the test bound uses the same ε after every epoch. */
    private static final long EVAL_SEED = 0x5EEDL;

    @Override
    public String name() {
        return "vae";
    }

    @Override
    public String title() {
        return "Variational autoencoder 784-" + HIDDEN + "-" + LATENT + " (Kingma & Welling 2014) on Fashion-MNIST";
    }

    /** One epoch's figures, per image in nats; train: the mean of the minibatch estimates during the epoch. */
    record Epoch(int epoch, double trainElbo, double testElbo, double testReconstruction, double testKl,
            double seconds) {}

    @Override
    public List<String> run(Context c) {
        StudyReport.createDirectory(c.out());
        int epochs = c.epochs() == null ? EPOCHS : c.epochs();
        ArrayDataset train = PixelScale.unit(c.data().train());
        INDArray test = PixelScale.unit(c.data().test().features());
        Engine engine = new Engine(c.seed(), c.engine());
        Vae vae = new Vae(engine, 784, HIDDEN, LATENT);
        Optimizer adam = engine.optimizer("adam", "{\"lr\": " + LR + "}", vae.parameters());
        DataLoader loader = new DataLoader(train, BATCH, true, false, engine.rng());
        c.console().printf("VAE 784-%d-%d, Adam lr %s, batch %d, %d epochs%n", HIDDEN, LATENT, LR, BATCH, epochs);
        List<Epoch> history = new ArrayList<>();
        CompiledStep step = engine.step("VAE step", vae, in -> new Tensor[] {vae.loss(in[0], engine.rng())});
        for (int e = 1; e <= epochs; e++) {
            long start = System.nanoTime();
            vae.train(true);
            double loss = GradientSteps.epoch(loader, adam, vae, step);
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] t = vae.evaluate(test, new Rng(c.seed() ^ EVAL_SEED));
            history.add(new Epoch(e, -loss, t[0], t[1], t[2], seconds));
            c.console().printf("epoch %d: train ELBO %.2f, test ELBO %.2f nats (reconstruction %.2f, KL %.2f), "
                    + "%.1f s%n", e, -loss, t[0], t[1], t[2], seconds);
        }
        Epoch last = history.get(history.size() - 1);
        double trainSeconds = history.stream().mapToDouble(Epoch::seconds).sum();
        double floor = -entropy(test);

        Layer decoder = vae.decoderMeans();
        INDArray z = Init.normal(engine.rng(), DataType.FLOAT, 0, 1, 100, LATENT);
        ImageGrid.write(c.out().resolve("samples.png"), DeepAutoencoder.apply(decoder, z), 10, 0, 1, 2);
        INDArray shown = Pixels.onePerClass(new ArrayDataset(test, c.data().test().labels(), "test"), 10);
        ImageGrid.write(c.out().resolve("reconstructions.png"),
                Nd4j.concat(0, shown, DeepAutoencoder.apply(vae, shown)), 10, 0, 1, 3);
        writeChart(c, history);
        String onnx = exportOnnx(decoder, c);

        StringBuilder md = new StringBuilder("# " + title() + "\n\n");
        md.append("The method (Kingma & Welling 2014, §3, appendix C): an MLP encoder gives q(z|x) = N(μ, diag σ²), "
                + "z = μ + σ·ε, a Bernoulli MLP decoder gives p(x|z), and the lower bound "
                + "E_q[log p(x|z)] − KL(q(z|x) ‖ N(0, I)) is maximised by stochastic gradients through the sample. "
                + "The paper's Fig. 2 shows the bound rising over training on MNIST (about −100 nats per image for "
                + "N_z = 20); here the test-set bound per image after every epoch, on Fashion-MNIST:\n\n");
        md.append("| epoch | train ELBO | test ELBO | test reconstruction term | test KL | seconds |\n"
                + "|---|---|---|---|---|---|\n");
        history.forEach(h -> md.append(String.format("| %d | %.2f | **%.2f** | %.2f | %.2f | %.1f |%n", h.epoch(),
                h.trainElbo(), h.testElbo(), h.testReconstruction(), h.testKl(), h.seconds())));
        md.append("\n![ELBO per epoch](vae.png)\n\n");
        md.append(String.format("Final test ELBO: **%.2f nats per image** after %d epochs (%.1f s of training).%n%n",
                last.testElbo(), epochs, trainSeconds));
        md.append("100 images decoded (Bernoulli means) from z ~ N(0, I):\n\n![samples](samples.png)\n\n");
        md.append("Test originals (the first of each class) and their reconstructions with z = μ:\n\n"
                + "![reconstructions](reconstructions.png)\n\n");
        md.append("## Method\n\n");
        md.append(String.format("- Model: encoder 784-%d (ReLU) with two linear heads μ and log σ² (%d each); decoder "
                + "%d-%d (ReLU)-784 logits. Adam (lr %s), batch %d, %d epochs; one ε per image per step, drawn from "
                + "the run's seeded random stream (the run is deterministic for a seed).%n", HIDDEN, LATENT, LATENT,
                HIDDEN, LR, BATCH, epochs));
        md.append("- Objective per image: log p(x|z) = Σ over the 784 pixels of x·l − softplus(l) (l: the decoder's "
                + "logits; the overflow-free form of −BCE-with-logits), KL = −½ Σ (1 + log σ² − μ² − σ²) in closed "
                + "form. The test ELBO is the single-sample (L = 1) estimate over the whole test set, with the same "
                + "evaluation noise after every epoch.\n");
        md.append(String.format("- Data: grey levels in [0, 1] used as the Bernoulli means' targets, not binarised. "
                + "The bound is then not a log-likelihood of the images: even a perfect decoder scores −Σ H(x_i), "
                + "the pixels' own binary entropy, which is **%.2f nats** per test image here. The gap to that "
                + "ceiling, %.2f nats, is the part a model can close.%n", floor, floor - last.testElbo()));
        md.append("- What differs from the paper: ReLU instead of tanh hidden units, Adam instead of Adagrad, "
                + "minibatch " + BATCH + " as in the paper; Fashion-MNIST grey levels instead of MNIST, so the "
                + "figures are not comparable with the paper's; no weight-decay prior on the parameters (the paper's "
                + "small N(0, I) prior term).\n");
        md.append(StudyReport.provenance(c, name(), "; timed in this run"));
        md.append("- ONNX: `decoder.onnx` (the decoder, z [batch, " + LATENT + "] to Bernoulli means [batch, 784]), "
                + "Dendrite vs ONNX Runtime: ").append(onnx).append('\n');
        StudyReport.write(c.out().resolve("report.md"), md.toString());
        return List.of(String.format("test ELBO %.2f nats per image after %d epochs (reconstruction %.2f, KL %.2f), "
                        + "%.0f s", last.testElbo(), epochs, last.testReconstruction(), last.testKl(), trainSeconds),
                String.format("ceiling for grey-level targets (−entropy of the test pixels): %.2f nats", floor),
                "samples: " + c.out().resolve("samples.png"));
    }

    /** Σ over pixels of the binary entropy H(x) = −x log x − (1 − x) log(1 − x), averaged over images, in nats. */
    static double entropy(INDArray pixels) {
        INDArray p = Transforms.max(Transforms.min(pixels, 1 - 1e-7, true), 1e-7, false);
        INDArray q = p.rsub(1.0);
        INDArray h = p.mul(Transforms.log(p, true)).addi(q.mul(Transforms.log(q, true))).negi();
        return h.sumNumber().doubleValue() / pixels.size(0);
    }

    private void writeChart(Context c, List<Epoch> history) {
        double[] x = history.stream().mapToDouble(Epoch::epoch).toArray();
        XYChart chart = new XYChartBuilder().width(Charts.W).height(Charts.H).title("evidence lower bound per image")
                .xAxisTitle("epoch").yAxisTitle("ELBO (nats)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.addSeries("test", x, history.stream().mapToDouble(Epoch::testElbo).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("train (during the epoch)", x, history.stream().mapToDouble(Epoch::trainElbo).toArray())
                .setMarker(SeriesMarkers.DIAMOND);
        Charts.write(c.out().resolve("vae.png"), List.of(chart));
    }

    private static String exportOnnx(Layer decoder, Context c) {
        Tensor example = Tensor.of(Init.normal(new Rng(c.seed()), DataType.FLOAT, 0, 1, 2, LATENT));
        return OnnxExport.writeValidated(decoder, example, c.out().resolve("decoder.onnx"));
    }
}

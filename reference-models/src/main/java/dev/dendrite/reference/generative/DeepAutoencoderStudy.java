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
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Hinton and Salakhutdinov (2006, Science), "Reducing the dimensionality of data with neural networks": a deep
 * autoencoder with a 30-unit code reconstructs test images better than PCA with 30 components. Both are fitted
 * here on the same training images and compared by test mean squared error per pixel.
 */
public final class DeepAutoencoderStudy implements Study {
    static final int CODE = 30;
    static final int EPOCHS = 5;
    static final int BATCH = 64;
    static final double LR = 1e-3;
    /** The paper's MNIST figures, average squared error per image (sum over 784 pixels): autoencoder, PCA. */
    static final double PAPER_AE = 3.00;
    static final double PAPER_PCA = 13.87;

    @Override
    public String name() {
        return "deep-autoencoder";
    }

    @Override
    public String title() {
        return "Deep autoencoder 784-1000-500-250-30 vs PCA-30 (Hinton & Salakhutdinov 2006) on Fashion-MNIST";
    }

    /** One epoch's figures. */
    record Epoch(int epoch, double trainLoss, double testMse, double seconds) {}

    @Override
    public List<String> run(Context c) {
        StudyReport.createDirectory(c.out());
        int epochs = c.epochs() == null ? EPOCHS : c.epochs();
        ArrayDataset train = PixelScale.unit(c.data().train());
        INDArray test = PixelScale.unit(c.data().test().features());

        c.console().println("PCA: " + Pca.Method.COVARIANCE.description + " and " + Pca.Method.DATA.description);
        Pca pca = Pca.fit(train.features(), Pca.Method.COVARIANCE);
        Pca byData = Pca.fit(train.features(), Pca.Method.DATA);
        INDArray pcaTest = pca.reconstruct(test, CODE);
        double pcaMse = Pca.mse(pcaTest, test);
        double pcaClippedMse = Pca.mse(Transforms.min(Transforms.max(pcaTest, 0.0, true), 1.0, false), test);
        double pcaTrainMse = pca.discardedVariancePerElement(CODE);
        c.console().printf("PCA-%d: test MSE %.5f (train %.5f, %.1f%% of the variance kept); covariance route "
                + "%.2f s, data route %.2f s%n", CODE, pcaMse, pcaTrainMse, 100 * pca.explained(CODE), pca.seconds(),
                byData.seconds());

        Engine engine = new Engine(c.seed(), c.engine());
        Layer ae = DeepAutoencoder.build(engine);
        Optimizer adam = engine.optimizer("adam", "{\"lr\": " + LR + "}", ae.parameters());
        DataLoader loader = new DataLoader(train, BATCH, true, false, engine.rng());
        List<Epoch> history = new ArrayList<>();
        CompiledStep step = engine.step("autoencoder step", ae, in -> new Tensor[] {DeepAutoencoder.loss(ae, in[0])});
        for (int e = 1; e <= epochs; e++) {
            long start = System.nanoTime();
            ae.train(true);
            double loss = GradientSteps.epoch(loader, adam, ae, step);
            double seconds = (System.nanoTime() - start) / 1e9;
            double mse = Pca.mse(DeepAutoencoder.apply(ae, test), test);
            history.add(new Epoch(e, loss, mse, seconds));
            c.console().printf("epoch %d: train MSE %.5f, test MSE %.5f (PCA-%d %.5f), %.1f s%n", e, loss, mse, CODE,
                    pcaMse, seconds);
        }
        Epoch last = history.get(history.size() - 1);
        double trainSeconds = history.stream().mapToDouble(Epoch::seconds).sum();

        INDArray shown = Pixels.onePerClass(new ArrayDataset(test, c.data().test().labels(), "test"), 10);
        ImageGrid.write(c.out().resolve("reconstructions.png"), Nd4j.concat(0, shown,
                DeepAutoencoder.apply(ae, shown), pca.reconstruct(shown, CODE)), 10, 0, 1, 3);
        writeChart(c, history, pcaMse);
        String onnx = exportOnnx(ae, c);

        String verdict = last.testMse() < pcaMse ? "beats" : "does NOT beat";
        StringBuilder md = new StringBuilder("# " + title() + "\n\n");
        md.append(String.format("The claim (Hinton & Salakhutdinov 2006, Fig. 2): a 784-1000-500-250-30 autoencoder "
                + "reconstructs MNIST test digits with an average squared error per image of %.2f, against %.2f for "
                + "PCA with 30 components. Here, on Fashion-MNIST, test MSE per pixel (pixels in [0, 1]; × 784 for the "
                + "paper's per-image figure):%n%n", PAPER_AE, PAPER_PCA));
        md.append("| model | test MSE per pixel | per image (× 784) | train MSE per pixel |\n|---|---|---|---|\n");
        md.append(String.format("| deep autoencoder, %d epochs | **%.5f** | %.2f | %.5f (last epoch's mean) |%n",
                epochs, last.testMse(), last.testMse() * 784, last.trainLoss()));
        md.append(String.format("| PCA, %d components (%.1f%% of the variance) | **%.5f** | %.2f | %.5f |%n", CODE,
                100 * pca.explained(CODE), pcaMse, pcaMse * 784, pcaTrainMse));
        md.append(String.format("| PCA-%d, reconstructions clipped to [0, 1] | %.5f | %.2f | |%n%n", CODE,
                pcaClippedMse, pcaClippedMse * 784));
        md.append(String.format("The autoencoder %s PCA-%d: %.1f%% of its test error.%n%n", verdict, CODE,
                100 * last.testMse() / pcaMse));
        md.append("| epoch | train MSE | test MSE | PCA-30 test MSE | seconds |\n|---|---|---|---|---|\n");
        history.forEach(h -> md.append(String.format("| %d | %.5f | %.5f | %.5f | %.1f |%n", h.epoch(), h.trainLoss(),
                h.testMse(), pcaMse, h.seconds())));
        md.append("\n![test MSE per epoch](deep-autoencoder.png)\n\n");
        md.append("Rows: test originals (the first of each class), the autoencoder's reconstructions, PCA-30's:\n\n"
                + "![originals, autoencoder, PCA](reconstructions.png)\n\n");
        md.append("## Method\n\n");
        md.append("- Autoencoder: dense 784-1000-500-250-30 (ReLU, linear 30-unit code), mirrored decoder "
                + "30-250-500-1000-784 (ReLU, logistic output). Trained from a random (Kaiming-uniform) start by Adam "
                + "(lr " + LR + ", batch " + BATCH + ") on the squared error per pixel, " + epochs + " epochs, "
                + String.format("%.1f s of training.%n", trainSeconds));
        md.append(String.format("- PCA: centred training images, principal directions by ND4J's LAPACK SVD (gesvd). "
                + "%s: %.2f s; %s: %.2f s (same spectrum: largest relative difference of the first %d variances "
                + "%.1e). The covariance route is used.%n", Pca.Method.COVARIANCE.description, pca.seconds(),
                Pca.Method.DATA.description, byData.seconds(), CODE, spectrumDifference(pca, byData, CODE)));
        md.append("- What differs from the paper: no RBM pretraining (the paper pretrained each layer as an RBM, then "
                + "fine-tuned by backprop with conjugate gradients); ReLU hidden units instead of logistic ones, and "
                + "Adam, which make training from a random start work; the squared error as the training loss (the "
                + "paper fine-tuned its MNIST net on the cross-entropy); Fashion-MNIST instead of MNIST (its images "
                + "have more texture, so both errors are higher than the paper's).\n");
        md.append(StudyReport.provenance(c, name(), "; PCA and the autoencoder timed in this run"));
        md.append("- ONNX: `autoencoder.onnx` (input: [batch, 784] pixels in [0, 1]), Dendrite vs ONNX Runtime: ")
                .append(onnx).append('\n');
        StudyReport.write(c.out().resolve("report.md"), md.toString());
        return List.of(String.format("paper (MNIST): autoencoder %.2f vs PCA-30 %.2f squared error per image",
                        PAPER_AE, PAPER_PCA),
                String.format("autoencoder test MSE %.5f per pixel (%.2f per image), %d epochs in %.0f s",
                        last.testMse(), last.testMse() * 784, epochs, trainSeconds),
                String.format("PCA-%d      test MSE %.5f per pixel (%.2f per image), fitted in %.1f s", CODE, pcaMse,
                        pcaMse * 784, pca.seconds()),
                String.format("the autoencoder %s PCA-%d (%.1f%% of its error)", verdict, CODE,
                        100 * last.testMse() / pcaMse));
    }

    /** The largest relative difference between the two fits' first {@code k} variances. */
    static double spectrumDifference(Pca a, Pca b, int k) {
        double worst = 0;
        for (int i = 0; i < k; i++) {
            worst = Math.max(worst, Math.abs(a.variances()[i] - b.variances()[i]) / a.variances()[i]);
        }
        return worst;
    }

    private void writeChart(Context c, List<Epoch> history, double pcaMse) {
        double[] x = history.stream().mapToDouble(Epoch::epoch).toArray();
        XYChart chart = new XYChartBuilder().width(Charts.W).height(Charts.H).title("test reconstruction error")
                .xAxisTitle("epoch").yAxisTitle("MSE per pixel").build();
        chart.addSeries("autoencoder, test", x, history.stream().mapToDouble(Epoch::testMse).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("autoencoder, train (during the epoch)", x,
                history.stream().mapToDouble(Epoch::trainLoss).toArray())
                .setMarker(SeriesMarkers.DIAMOND);
        double[] line = new double[x.length];
        java.util.Arrays.fill(line, pcaMse);
        chart.addSeries("PCA-" + CODE + ", test", x, line).setMarker(SeriesMarkers.NONE);
        Charts.write(c.out().resolve("deep-autoencoder.png"), List.of(chart));
    }

    private static String exportOnnx(Layer ae, Context c) {
        Tensor example = Tensor.of(Init.uniform(new Rng(c.seed()), DataType.FLOAT, 0, 1, 2, 784));
        return OnnxExport.writeValidated(ae, example, c.out().resolve("autoencoder.onnx"));
    }
}

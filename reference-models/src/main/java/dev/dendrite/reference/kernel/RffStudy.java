package dev.dendrite.reference.kernel;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.data.ArrayDataset;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Settings;
import dev.dendrite.kernel.ArcCosineKernel;
import dev.dendrite.kernel.GaussianKernel;
import dev.dendrite.kernel.elm.RidgeReadout;
import dev.dendrite.kernel.krr.KernelRidge;
import dev.dendrite.kernel.layers.ArcCosineFeatures;
import dev.dendrite.kernel.layers.RandomFourierFeatures;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerSpec;
import dev.dendrite.nn.Sequential;
import dev.dendrite.random.Rng;
import dev.dendrite.reference.models.Study;
import dev.dendrite.reference.report.Charts;
import dev.dendrite.reference.report.StudyReport;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Rahimi and Recht 2007's claim for random Fourier features: z(x)·z(y) approximates the Gaussian kernel
 * with an error that falls like O(1/√D) in the number of features D. Measured on Fashion-MNIST images as
 * the relative Frobenius error of the feature Gram matrix against the exact kernel, averaged over
 * independent draws, with the log–log slope fitted; Cho and Saul's arc-cosine features are measured the same
 * way. Second, what the approximation buys: ridge regression on D features against exact kernel ridge
 * regression (the baseline, O(n³)) on the same training examples, as test accuracy.
 */
public final class RffStudy implements Study {
    static final int KERNEL_SAMPLE = 1000;
    static final int[] FEATURES = {16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192};
    static final int DRAWS = 5;
    static final int KRR_TRAIN = 5000;
    static final int[] CLASSIFIER_FEATURES = {64, 256, 1024, 4096};
    static final double LAMBDA = 1.0;

    @Override
    public String name() {
        return "rff";
    }

    @Override
    public String title() {
        return "Random Fourier features: kernel approximation error vs number of features (Rahimi & Recht 2007)";
    }

    @Override
    public List<String> run(Context c) {
        StudyReport.createDirectory(c.out());
        Injector injector = Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(c.seed())
                .withDtype(DataType.DOUBLE)));
        LayerContext ctx = injector.getInstance(LayerContext.class);
        Rng rng = new Rng(c.seed());
        int kernelSample = (int) Math.min(KERNEL_SAMPLE, c.data().train().size());
        int krrTrain = (int) Math.min(KRR_TRAIN, c.data().train().size());
        INDArray x = c.data().train().batch(KernelNets.sample(rng, c.data().train().size(), kernelSample))
                .features().castTo(DataType.DOUBLE);
        double gamma = GaussianKernel.medianGamma(x);
        INDArray gaussian = GaussianKernel.matrix(x, x, gamma);
        INDArray arcCosine = ArcCosineKernel.matrix(x, x, 1);
        double[] d = new double[FEATURES.length];
        double[] rffError = new double[FEATURES.length];
        double[] arcError = new double[FEATURES.length];
        for (int i = 0; i < FEATURES.length; i++) {
            d[i] = FEATURES[i];
            for (int draw = 0; draw < DRAWS; draw++) {
                rffError[i] += relativeError(gram(ctx.build(LayerSpec.of(RandomFourierFeatures.ID,
                        new RandomFourierFeatures.Config(784, FEATURES[i], gamma, false))), x), gaussian) / DRAWS;
                arcError[i] += relativeError(gram(ctx.build(LayerSpec.of(ArcCosineFeatures.ID,
                        new ArcCosineFeatures.Config(784, FEATURES[i], 1))), x), arcCosine) / DRAWS;
            }
            c.console().printf("D=%5d: Gaussian (RFF) error %.4f, arc-cosine error %.4f%n", FEATURES[i], rffError[i],
                    arcError[i]);
        }
        double[] rffFit = fit(d, rffError);
        double[] arcFit = fit(d, arcError);

        // What the approximation buys: classifiers on KRR_TRAIN examples, the exact kernel against D features.
        long[] trainIdx = KernelNets.sample(rng, c.data().train().size(), krrTrain);
        var train = c.data().train().batch(trainIdx);
        INDArray xTrain = train.features().castTo(DataType.DOUBLE);
        INDArray xTest = c.data().test().features().castTo(DataType.DOUBLE);
        INDArray yTest = c.data().test().labels();
        long started = System.nanoTime();
        KernelRidge krr = KernelRidge.fit(xTrain, train.labels(), 10, gamma, LAMBDA);
        double krrAccuracy = accuracy(krr.predictClasses(xTest), yTest);
        double krrSeconds = (System.nanoTime() - started) / 1e9;
        c.console().printf("exact kernel ridge regression on %d examples: test accuracy %.4f (%.1f s)%n", krrTrain,
                krrAccuracy, krrSeconds);
        double[] cd = new double[CLASSIFIER_FEATURES.length];
        double[] rffAccuracy = new double[CLASSIFIER_FEATURES.length];
        double[] rffSeconds = new double[CLASSIFIER_FEATURES.length];
        ArrayDataset trainSet = new ArrayDataset(xTrain, train.labels(), "train sample");
        for (int i = 0; i < CLASSIFIER_FEATURES.length; i++) {
            cd[i] = CLASSIFIER_FEATURES[i];
            started = System.nanoTime();
            Layer features = ctx.build(LayerSpec.of(RandomFourierFeatures.ID,
                    new RandomFourierFeatures.Config(784, CLASSIFIER_FEATURES[i], gamma, false)));
            Layer head = ctx.build(Json.read("{\"type\": \"dense\", \"config\": {\"in\": " + CLASSIFIER_FEATURES[i]
                    + ", \"out\": 10, \"bias\": false}}", LayerSpec.class));
            Sequential net = new Sequential(features, head);
            new RidgeReadout(LAMBDA, 1000).fit(net, trainSet);
            INDArray predicted;
            try (var off = GradMode.off()) {
                predicted = net.forward(Tensor.of(xTest)).data().argMax(1);
            }
            rffAccuracy[i] = accuracy(predicted, yTest);
            rffSeconds[i] = (System.nanoTime() - started) / 1e9;
            c.console().printf("random features D=%d + ridge: test accuracy %.4f (%.1f s)%n", CLASSIFIER_FEATURES[i],
                    rffAccuracy[i], rffSeconds[i]);
        }

        XYChart errors = Charts.logLog("kernel approximation error", "features D",
                "relative Frobenius error of the Gram matrix");
        errors.addSeries(String.format("Gaussian RFF (slope %.3f)", rffFit[0]), d, rffError).setMarker(SeriesMarkers.CIRCLE);
        errors.addSeries(String.format("arc-cosine, degree 1 (slope %.3f)", arcFit[0]), d, arcError)
                .setMarker(SeriesMarkers.DIAMOND);
        errors.addSeries("fitted RFF line", d, line(d, rffFit)).setMarker(SeriesMarkers.NONE);
        XYChart accuracy = Charts.logX("test accuracy, " + krrTrain + " training examples", "features D", "accuracy");
        accuracy.addSeries("random features + ridge", cd, rffAccuracy).setMarker(SeriesMarkers.CIRCLE);
        accuracy.addSeries("exact kernel ridge", new double[] {cd[0], cd[cd.length - 1]},
                new double[] {krrAccuracy, krrAccuracy}).setMarker(SeriesMarkers.NONE);
        Charts.write(c.out().resolve("rff.png"), List.of(errors, accuracy));

        StringBuilder md = new StringBuilder("# " + title() + "\n\n");
        md.append("The claim: with D random features z(x) = √(2/D)·cos(ωᵀx + b), ω ~ N(0, 2γI), the error of "
                + "z(x)·z(y) as an estimate of exp(−γ‖x−y‖²) falls like O(1/√D), i.e. a slope of −0.5 on a log–log "
                + "plot.\n\n");
        md.append(String.format("| | fitted slope of log error vs log D | paper |%n|---|---|---|%n"
                + "| Gaussian kernel, random Fourier features | **%.3f** (R² %.4f) | −0.5 |%n"
                + "| arc-cosine kernel (degree 1), random ReLU features | %.3f (R² %.4f) | −0.5 (same Monte Carlo rate) |%n%n",
                rffFit[0], rffFit[2], arcFit[0], arcFit[2]));
        md.append("![error vs D and accuracy vs D](rff.png)\n\n");
        md.append("## Error per D\n\n| D | Gaussian (RFF) | arc-cosine |\n|---|---|---|\n");
        for (int i = 0; i < d.length; i++) {
            md.append(String.format("| %d | %.5f | %.5f |%n", FEATURES[i], rffError[i], arcError[i]));
        }
        md.append(String.format("%nError: ‖K − ZZᵀ‖_F / ‖K‖_F on %d training images (normalised pixels), mean of %d "
                + "independent draws per D; γ = %.4g by the median heuristic (1 / median ‖x−y‖²).%n%n", kernelSample,
                DRAWS, gamma));
        md.append("## Classification: exact kernel vs random features\n\n| model | test accuracy | time (s) |\n"
                + "|---|---|---|\n");
        md.append(String.format("| exact Gaussian kernel ridge regression (baseline) | %.4f | %.1f |%n", krrAccuracy,
                krrSeconds));
        for (int i = 0; i < cd.length; i++) {
            md.append(String.format("| %d random Fourier features + ridge readout | %.4f | %.1f |%n",
                    CLASSIFIER_FEATURES[i], rffAccuracy[i], rffSeconds[i]));
        }
        md.append(String.format("%nBoth on the same %d training examples, one-hot targets, λ = %s, the full test "
                + "split; the random-feature model is an `rff` layer and a bias-free `dense` head fitted by the ELM's "
                + "closed-form ridge readout, so as D grows it converges to the kernel solution.%n%n", krrTrain,
                LAMBDA));
        md.append(StudyReport.provenance(c, name(), ""));
        StudyReport.write(c.out().resolve("report.md"), md.toString());
        List<String> summary = new ArrayList<>();
        summary.add(String.format("%-10s slope -0.5 (O(1/sqrt D))", "paper"));
        summary.add(String.format("%-10s slope %.3f (Gaussian RFF), %.3f (arc-cosine)", "Dendrite", rffFit[0],
                arcFit[0]));
        summary.add(String.format("%-10s exact KRR %.4f, RFF D=%d %.4f", "accuracy", krrAccuracy,
                CLASSIFIER_FEATURES[cd.length - 1], rffAccuracy[cd.length - 1]));
        return summary;
    }

    private static INDArray gram(Layer features, INDArray x) {
        try (var off = GradMode.off()) {
            INDArray z = features.forward(Tensor.of(x)).data();
            return z.mmul(z.transpose());
        }
    }

    static double relativeError(INDArray approx, INDArray exact) {
        return approx.sub(exact).norm2Number().doubleValue() / exact.norm2Number().doubleValue();
    }

    /** Least squares of log y on log x: {slope, intercept, R²}. */
    static double[] fit(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += Math.log(x[i]) / n;
            my += Math.log(y[i]) / n;
        }
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(x[i]) - mx;
            double dy = Math.log(y[i]) - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        double slope = sxy / sxx;
        return new double[] {slope, my - slope * mx, sxy * sxy / (sxx * syy)};
    }

    private static double[] line(double[] x, double[] fit) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.exp(fit[1] + fit[0] * Math.log(x[i]));
        }
        return y;
    }

    private static double accuracy(INDArray predicted, INDArray labels) {
        return predicted.castTo(DataType.INT64).eq(labels.castTo(DataType.INT64)).castTo(DataType.INT64)
                .sumNumber().doubleValue() / labels.length();
    }
}

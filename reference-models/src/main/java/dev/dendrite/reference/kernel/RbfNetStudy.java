package dev.dendrite.reference.kernel;

import dev.dendrite.reference.models.Study;
import dev.dendrite.reference.report.Charts;
import dev.dendrite.reference.report.StudyReport;
import dev.dendrite.reference.run.Experiment;
import dev.dendrite.spi.Json;
import dev.dendrite.train.TrainingSpec;
import java.util.List;

/**
 * An RBF network classifier (Broomhead and Lowe 1988; Moody and Darken 1989): Gaussian units with k-means
 * centres and widths, a linear readout, then everything — centres, widths, readout — trained end to end by
 * backprop. Compared in the same run with the ELM and the backprop-trained one-hidden-layer network of
 * {@link ElmStudy}.
 */
public final class RbfNetStudy implements Study {
    static final int CENTRES = 400;
    static final int KMEANS_SAMPLE = 5000;
    static final double READOUT_RIDGE = 1.0;
    static final int KMEANS_ITERATIONS = 30;
    static final int EPOCHS = 10;
    static final int MLP_HIDDEN = 1000;

    @Override
    public String name() {
        return "rbf-net";
    }

    @Override
    public String title() {
        return "RBF network, " + CENTRES + " k-means Gaussian centres, trained end to end, on Fashion-MNIST";
    }

    static TrainingSpec spec(int epochs, long seed) {
        return Json.read("""
                {"model": {"type": "sequential", "config": {"layers": [
                   {"type": "rbf", "name": "rbf", "config": {"in": 784, "centres": %d, "learnGamma": true}},
                   {"type": "dense", "name": "readout", "config": {"in": %d, "out": 10}}]}},
                 "loss": {"type": "cross_entropy"},
                 "optimizer": {"type": "adam", "config": {"lr": 0.001}},
                 "epochs": %d, "batchSize": 128, "seed": %d, "data": "fashion-mnist"}"""
                .formatted(CENTRES, CENTRES, epochs, seed), TrainingSpec.class);
    }

    @Override
    public List<String> run(Context c) {
        StudyReport.createDirectory(c.out());
        int epochs = c.epochs() == null ? EPOCHS : c.epochs();
        TwoStageInit init = new TwoStageInit(KMEANS_SAMPLE, KMEANS_ITERATIONS, READOUT_RIDGE, c.seed(), c.console());
        c.console().println("RBF network: k-means centres, ridge readout, then " + epochs + " epochs end to end");
        Experiment.Outcome rbf = new Experiment(title(), "dendrite reproduce " + name(), spec(epochs, c.seed()),
                new double[0], null, c.dataDir(), c.out().resolve("rbf"), null, List.of(init))
                .with(c.engine()).run(c.data(), c.console());
        double rbfSeconds = rbf.seconds() + init.seconds();

        c.console().println("ELM: " + ElmStudy.HIDDEN + " random sigmoid units, ridge readout");
        KernelNets.ElmResult elm = KernelNets.elm(c.data(), ElmStudy.HIDDEN, ElmStudy.RIDGE, c.seed(),
                c.out().resolve("elm.onnx"));
        c.console().println("MLP: 784-" + MLP_HIDDEN + "-10 sigmoid, backprop, " + epochs + " epochs");
        Experiment.Outcome mlp = new Experiment("784-" + MLP_HIDDEN + "-10 sigmoid network, backprop",
                "dendrite reproduce " + name(), KernelNets.oneHiddenLayer(MLP_HIDDEN, epochs, c.seed()), new double[0],
                null, c.dataDir(), c.out().resolve("mlp"), null).with(c.engine()).run(c.data(), c.console());
        double mlpSeconds = mlp.seconds();

        List<String> names = List.of("RBF net", "ELM", "MLP");
        Charts.write(c.out().resolve("rbf-net.png"), List.of(
                Charts.accuracyBars("test accuracy", names, List.of(rbf.accuracy(), elm.accuracy(),
                        mlp.accuracy())),
                Charts.bars("training time", "seconds", names, List.of(rbfSeconds, elm.fit().seconds(), mlpSeconds))));
        StringBuilder md = new StringBuilder("# " + title() + "\n\n");
        md.append("| model | parameters trained | test accuracy | training time (s) |\n|---|---|---|---|\n");
        md.append(String.format("| RBF network: %d Gaussian units (k-means on %d examples, ≤ %d iterations), linear "
                + "readout (ridge λ = %s), then Adam end to end, %d epochs | centres, widths, readout | %.4f | %.1f "
                + "(k-means and readout solve included) |%n", CENTRES, KMEANS_SAMPLE, KMEANS_ITERATIONS,
                READOUT_RIDGE, epochs, rbf.accuracy(), rbfSeconds));
        md.append(String.format("| ELM: %d random sigmoid units, ridge readout | readout (closed form) | %.4f | %.1f |%n",
                ElmStudy.HIDDEN, elm.accuracy(), elm.fit().seconds()));
        md.append(String.format("| MLP: 784-%d-10 sigmoid; Adam, %d epochs | all | %.4f | %.1f |%n%n", MLP_HIDDEN,
                epochs, mlp.accuracy(), mlpSeconds));
        md.append("![accuracy and training time](rbf-net.png)\n\n");
        md.append(String.format("- Stage 1, k-means: inertia %.4g, %d iterations; initial widths γ = 1/(2σ²) of each "
                + "cluster. Stage 2, readout by ridge regression: train MSE %.4f on the one-hot targets; test accuracy "
                + "after the two stages alone (Moody and Darken's network): **%.4f**. Then all parameters trained by "
                + "backprop: %.4f.%n", init.result().inertia(), init.result().iterations(), init.readout().trainMse(),
                init.twoStageAccuracy(), rbf.accuracy()));
        md.append(StudyReport.provenance(c, name(), "; all three timed in this run"));
        md.append("- ONNX: the RBF network's `rbf/model.onnx` (validated in ONNX Runtime, see `rbf/report.md`), "
                + "`elm.onnx`: ").append(elm.onnx()).append('\n');
        md.append("- Per-epoch curves, checkpoints and reports: `rbf/`, `mlp/`\n");
        StudyReport.write(c.out().resolve("report.md"), md.toString());
        return List.of(String.format("%-10s %.4f in %.1f s", "RBF net", rbf.accuracy(), rbfSeconds),
                String.format("%-10s %.4f in %.1f s", "ELM", elm.accuracy(), elm.fit().seconds()),
                String.format("%-10s %.4f in %.1f s", "MLP", mlp.accuracy(), mlpSeconds));
    }
}

package dev.dendrite.reference.kernel;

import dev.dendrite.reference.models.Study;
import dev.dendrite.reference.report.Charts;
import dev.dendrite.reference.report.StudyReport;
import dev.dendrite.reference.run.Experiment;
import dev.dendrite.train.EpochStats;
import dev.dendrite.train.TrainingSpec;
import java.util.List;

/**
 * Huang, Zhu and Siew's claim for the extreme learning machine (2004; Neurocomputing 2006): a network
 * whose hidden layer stays random and whose output layer is solved in closed form reaches accuracy
 * comparable to the same network trained by backpropagation, in a fraction of the training time. Both are
 * trained here, in the same process, on the same data.
 */
public final class ElmStudy implements Study {
    static final int HIDDEN = 4000;
    static final double RIDGE = 10.0;
    static final int BACKPROP_EPOCHS = 5;

    @Override
    public String name() {
        return "elm";
    }

    @Override
    public String title() {
        return "Extreme learning machine vs backprop, 784-" + HIDDEN + "-10 (Huang, Zhu & Siew 2006) on Fashion-MNIST";
    }

    @Override
    public List<String> run(Context c) {
        StudyReport.createDirectory(c.out());
        c.console().println("ELM: " + HIDDEN + " random sigmoid units, ridge readout (lambda " + RIDGE + ")");
        KernelNets.ElmResult elm = KernelNets.elm(c.data(), HIDDEN, RIDGE, c.seed(), c.out().resolve("elm.onnx"));
        c.console().printf("ELM: test accuracy %.4f, trained in %.1f s%n", elm.accuracy(), elm.fit().seconds());
        int epochs = c.epochs() == null ? BACKPROP_EPOCHS : c.epochs();
        TrainingSpec spec = KernelNets.oneHiddenLayer(HIDDEN, epochs, c.seed());
        c.console().println("backprop: the same network, Adam, " + epochs + " epochs");
        Experiment.Outcome bp = new Experiment("784-" + HIDDEN + "-10 sigmoid network, backprop", "dendrite reproduce "
                + name(), spec, new double[0], null, c.dataDir(), c.out().resolve("backprop"), null)
                .with(c.engine()).run(c.data(), c.console());
        double bpSeconds = bp.seconds();
        Charts.write(c.out().resolve("elm.png"), List.of(
                Charts.accuracyBars("test accuracy", List.of("ELM", "backprop"),
                        List.of(elm.accuracy(), bp.accuracy())),
                Charts.bars("training time", "seconds", List.of("ELM", "backprop"),
                        List.of(elm.fit().seconds(), bpSeconds))));
        String speedup = String.format("%.1f", bpSeconds / elm.fit().seconds());
        StringBuilder md = new StringBuilder("# " + title() + "\n\n");
        md.append("The claim (Huang et al. 2006): an ELM \"can obtain better generalization performance\" than "
                + "backprop-trained networks \"in most cases and can learn thousands of times faster\". Here: the same "
                + "784-" + HIDDEN + "-10 sigmoid network, once with its hidden layer left random and the output "
                + "layer solved by ridge regression, once trained end to end by backprop.\n\n");
        md.append("| | test accuracy | training time (s) |\n|---|---|---|\n");
        md.append(String.format("| ELM (random hidden layer, ridge λ = %s on one-hot targets) | %.4f | %.1f "
                + "(features and HᵀH %.1f, Cholesky solve %.1f) |%n", RIDGE, elm.accuracy(), elm.fit().seconds(),
                elm.fit().featureSeconds(), elm.fit().solveSeconds()));
        md.append(String.format("| backprop (Adam lr 1e-3, batch 128, %d epochs) | %.4f | %.1f |%n%n", epochs,
                bp.accuracy(), bpSeconds));
        md.append("![accuracy and training time](elm.png)\n\n");
        md.append(String.format("- The ELM trained %sx faster and is %.1f points of accuracy %s.%n", speedup,
                Math.abs(bp.accuracy() - elm.accuracy()) * 100, elm.accuracy() >= bp.accuracy() ? "ahead" : "behind"));
        md.append("- ").append(catchUp(bp, elm.accuracy(), elm.fit().seconds())).append('\n');
        md.append(String.format("- ELM train MSE on the one-hot targets: %.4f over %d examples.%n", elm.fit().trainMse(),
                elm.fit().examples()));
        md.append(StudyReport.provenance(c, name(), "; both timed in this run"));
        md.append("- ONNX: `elm.onnx`, Dendrite vs ONNX Runtime: ").append(elm.onnx()).append('\n');
        md.append("- The backprop run's own report, curve, checkpoint and ONNX file: `backprop/`\n");
        StudyReport.write(c.out().resolve("report.md"), md.toString());
        return List.of(String.format("%-10s %.4f in %.1f s", "ELM", elm.accuracy(), elm.fit().seconds()),
                String.format("%-10s %.4f in %.1f s (%d epochs)", "backprop", bp.accuracy(), bpSeconds, epochs),
                "ELM speed-up: " + speedup + "x");
    }

    /** When backprop first reached the ELM's test accuracy, and how long that took it. */
    static String catchUp(Experiment.Outcome bp, double target, double elmSeconds) {
        double seconds = 0;
        for (EpochStats e : bp.state().history()) {
            seconds += e.seconds();
            if (e.testAccuracy() >= target) {
                return String.format("Backprop first matched the ELM's test accuracy after epoch %d, %.1f s of "
                        + "training: %.1fx the ELM's time.", e.epoch(), seconds, seconds / elmSeconds);
            }
        }
        return String.format("Backprop did not reach the ELM's test accuracy in %d epochs (%.1f s).",
                bp.state().history().size(), seconds);
    }
}

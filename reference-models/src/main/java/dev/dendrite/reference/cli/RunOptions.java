package dev.dendrite.reference.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The flags every training command shares (and every later reproduction keeps). */
final class RunOptions {
    /** The spec with these flags laid over it. */
    dev.dendrite.train.TrainingSpec apply(dev.dendrite.train.TrainingSpec spec) {
        dev.dendrite.train.TrainingSpec s = spec;
        if (epochs != null) {
            s = s.withEpochs(epochs);
        }
        if (seed != null) {
            s = s.withSeed(seed);
        }
        if (validationSplit != null) {
            s = s.withValidationSplit(validationSplit);
        }
        return s;
    }

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs to train (default: the model's).")
    Integer epochs;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz] (default: Debian's "
                    + "/usr/share/datasets/fashion-mnist if installed, else the embedded subset); for char-lstm, "
                    + "a text file (default: /usr/share/common-licenses/GPL-3, else an embedded copy).")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "Where metrics.csv, curve.png, checkpoint.zip and "
            + "report.md go, in a folder named after the model or spec (default: ${DEFAULT-VALUE}/NAME).",
            defaultValue = "runs")
    Path out;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: the model's).")
    Long seed;

    @Option(names = "--validation-split", paramLabel = "F",
            description = "Hold out this fraction of the training data and evaluate it every epoch (default: the "
                    + "spec's, none for the reference models, which follow their paper's protocol).")
    Double validationSplit;

    @Option(names = "--resume", paramLabel = "CHECKPOINT.zip", description = "Continue a run from its checkpoint.")
    Path resume;

    @Option(names = "--eager", description = "Run every step eagerly instead of capturing and replaying it (the "
            + "results are the same bit for bit; compiled steps are faster).")
    boolean eager;

    @Option(names = "--explain-plan", description = "At the end, print each compiled step's plan: its native calls, "
            + "unit nodes, random seeds and arena size, or why it ran eagerly.")
    boolean explainPlan;

    dev.dendrite.reference.run.EngineOptions engine() {
        return new dev.dendrite.reference.run.EngineOptions(!eager, explainPlan);
    }
}

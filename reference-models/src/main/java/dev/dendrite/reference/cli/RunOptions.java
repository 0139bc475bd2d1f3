package dev.dendrite.reference.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The flags every training command shares (and every later reproduction keeps). */
final class RunOptions {
    @Option(names = "--epochs", paramLabel = "N", description = "Epochs to train (default: the model's).")
    Integer epochs;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz] (default: Debian's "
                    + "/usr/share/datasets/fashion-mnist if installed, else the embedded subset).")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "Where metrics.csv, curve.png, checkpoint.zip and "
            + "report.md go (default: ${DEFAULT-VALUE}).", defaultValue = "runs")
    Path out;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: the model's).")
    Long seed;

    @Option(names = "--resume", paramLabel = "CHECKPOINT.zip", description = "Continue a run from its checkpoint.")
    Path resume;
}

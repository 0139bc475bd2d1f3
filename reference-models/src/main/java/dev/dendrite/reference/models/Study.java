package dev.dendrite.reference.models;

import dev.dendrite.reference.data.FashionMnist;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A reproduction that is more than one training run: it measures a paper's claim (an error rate against a
 * feature count, a time against an accuracy), usually training several models in one process so their
 * figures are comparable, and writes its own report.md and plots.
 */
public interface Study {
    /** The name on the command line: {@code dendrite reproduce NAME}. */
    String name();

    /** One line: the claim and where it comes from. */
    String title();

    /**
     * Runs the study.
     *
     * @param epochs the {@code --epochs} override for the gradient-trained models, or null for the study's
     * @return the lines the command prints last: the claim's figures beside ours
     */
    java.util.List<String> run(Context context);

    /**
     * Whether the study trains on Fashion-MNIST. Those that do not (text, synthetic sequences) get a null
     * {@link Context#data()} and read {@link Context#dataDir()} ({@code --data}, or null) themselves.
     */
    default boolean usesFashionMnist() {
        return true;
    }

    /** Whether {@code --resume CHECKPOINT.zip} continues the study's run (most train several models and do not). */
    default boolean resumable() {
        return false;
    }

    /**
     * What a study gets from the command line.
     *
     * @param resume the {@code --resume} checkpoint, or null; only for a {@link #resumable()} study
     */
    record Context(FashionMnist data, Path dataDir, Path out, long seed, Integer epochs, PrintStream console,
            Path resume, dev.dendrite.reference.run.EngineOptions engine) {
        public Context(FashionMnist data, Path dataDir, Path out, long seed, Integer epochs, PrintStream console,
                Path resume) {
            this(data, dataDir, out, seed, epochs, console, resume, dev.dendrite.reference.run.EngineOptions.DEFAULT);
        }

        public Context(FashionMnist data, Path dataDir, Path out, long seed, Integer epochs, PrintStream console) {
            this(data, dataDir, out, seed, epochs, console, null);
        }
    }
}

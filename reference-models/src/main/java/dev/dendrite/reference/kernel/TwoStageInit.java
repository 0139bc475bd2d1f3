package dev.dendrite.reference.kernel;

import dev.dendrite.data.Dataset;
import dev.dendrite.kernel.KMeans;
import dev.dendrite.kernel.elm.RidgeReadout;
import dev.dendrite.kernel.layers.Rbf;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.Sequential;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.train.Evaluation;
import dev.dendrite.train.TrainingListener;
import dev.dendrite.train.TrainingRun;
import dev.dendrite.train.TrainingState;
import java.io.PrintStream;

/**
 * The RBF network's classic two-stage training (Moody and Darken 1989) as the start of an end-to-end run:
 * before a fresh run's first step, the {@code rbf} layer gets k-means centroids of a sample of the training
 * data as centres and its clusters' spreads as widths, and the linear readout after it is solved by ridge
 * regression on the whole training set (the ELM's {@link RidgeReadout}); then backprop trains everything. A
 * resumed run keeps its checkpoint's parameters.
 */
final class TwoStageInit implements TrainingListener {
    private final int sample;
    private final int iterations;
    private final double ridge;
    private final long seed;
    private final PrintStream console;
    private KMeans.Result result;
    private double seconds;
    private RidgeReadout.Fit readout;
    private double twoStageAccuracy = Double.NaN;

    TwoStageInit(int sample, int iterations, double ridge, long seed, PrintStream console) {
        this.sample = sample;
        this.iterations = iterations;
        this.ridge = ridge;
        this.seed = seed;
        this.console = console;
    }

    @Override
    public void onStart(TrainingRun run, TrainingState state) {
        if (state.epoch() > 0) {
            return;
        }
        if (!(run.model().layer() instanceof Sequential net)) {
            throw new DendriteException("two-stage init: the model must be a sequential [rbf, dense]");
        }
        Rbf rbf = find(net);
        Dataset train = run.train().dataset();
        Rng rng = new Rng(seed);
        long n = Math.min(sample, train.size());
        long[] pick = KernelNets.sample(rng, train.size(), (int) n);
        long started = System.nanoTime();
        result = rbf.fitCentres(train.batch(pick).features(), iterations, rng);
        seconds = (System.nanoTime() - started) / 1e9;
        console.printf("k-means: %d centres from %d examples, %d Lloyd iterations, %.1f s%n", rbf.centres().size(0),
                n, result.iterations(), seconds);
        started = System.nanoTime();
        readout = new RidgeReadout(ridge, 5000).fit(net, train);
        double solve = (System.nanoTime() - started) / 1e9;
        seconds += solve;
        twoStageAccuracy = Evaluation.evaluate(net, run.loss(), run.test()).accuracy();
        console.printf("readout: ridge regression on %d examples, %.1f s; two-stage test accuracy %.4f%n",
                readout.examples(), solve, twoStageAccuracy);
    }

    KMeans.Result result() {
        return result;
    }

    double seconds() {
        return seconds;
    }

    /** Test accuracy after the two stages, before any gradient step. */
    double twoStageAccuracy() {
        return twoStageAccuracy;
    }

    RidgeReadout.Fit readout() {
        return readout;
    }

    private static Rbf find(Sequential net) {
        for (Layer l : net.layers()) {
            if (l instanceof Rbf r) {
                return r;
            }
        }
        throw new DendriteException("two-stage init: the model has no rbf layer");
    }
}

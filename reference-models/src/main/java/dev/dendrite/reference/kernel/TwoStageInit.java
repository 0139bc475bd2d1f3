package dev.dendrite.reference.kernel;

import dev.dendrite.data.Batch;
import dev.dendrite.data.Dataset;
import dev.dendrite.kernel.KMeans;
import dev.dendrite.kernel.elm.RidgeReadout;
import dev.dendrite.kernel.layers.Rbf;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.Sequential;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
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
    private double temperature = 1;

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
        Batch sampled = train.batch(pick);
        result = rbf.fitCentres(sampled.features(), iterations, rng);
        seconds = (System.nanoTime() - started) / 1e9;
        console.printf("k-means: %d centres from %d examples, %d Lloyd iterations, %.1f s%n", rbf.centres().size(0),
                n, result.iterations(), seconds);
        started = System.nanoTime();
        readout = new RidgeReadout(ridge, 5000).fit(net, train);
        double solve = (System.nanoTime() - started) / 1e9;
        seconds += solve;
        temperature = calibrate(net, run, sampled);
        twoStageAccuracy = Evaluation.evaluate(net, run.loss(), run.test()).accuracy();
        console.printf("readout: ridge regression on %d examples, %.1f s, scaled by %.0f; two-stage test accuracy "
                + "%.4f%n", readout.examples(), solve, temperature, twoStageAccuracy);
    }

    KMeans.Result result() {
        return result;
    }

    double seconds() {
        return seconds;
    }

    /**
     * Least squares fits the readout to one-hot targets, so its outputs span about [0, 1]: as logits they give
     * a flat softmax and a large cross-entropy, whose first gradient steps throw the centres off (measured: the
     * two-stage network's 0.84 fell to 0.79 after one epoch). Scaling the readout by the factor that minimises
     * the run's loss on the k-means sample keeps its decisions and starts backprop near a minimum.
     */
    private static double calibrate(Sequential net, TrainingRun run, Batch sample) {
        Layer head = net.layers().get(net.layers().size() - 1);
        Tensor logits;
        try (var off = GradMode.off()) {
            net.train(false);
            logits = net.forward(Tensor.of(sample.features()));
            net.train(true);
        }
        double best = 1;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (double t = 1; t <= 64; t *= 2) {
            double loss;
            try (var off = GradMode.off()) {
                loss = run.loss().apply(F.mul(logits, t), Tensor.of(sample.labels())).item();
            }
            if (loss < bestLoss) {
                bestLoss = loss;
                best = t;
            }
        }
        double scale = best;
        head.parameters().values().forEach(p -> p.data().muli(scale));
        return scale;
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

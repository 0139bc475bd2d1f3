package dev.dendrite.train;

import com.google.inject.Inject;
import dev.dendrite.data.Batch;
import dev.dendrite.data.DataLoader;
import dev.dendrite.inject.Settings;
import dev.dendrite.loss.NonFiniteLossException;
import dev.dendrite.nn.Layer;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.CompiledStep;
import java.util.List;
import java.util.Set;

/**
 * The training loop: for each epoch, every batch goes forward, through the loss, backward and into the
 * optimizer (or a spec's {@link TrainerStrategy} fits the model its own way); then the test set is evaluated
 * and the listeners (progress, metrics, checkpoints, early stopping) see the epoch. Deterministic for a seed: the one random stream drives init, shuffling and
 * dropout, and is saved with each checkpoint.
 */
public final class Trainer {
    private final Rng rng;
    private final List<TrainingListener> listeners;
    private final boolean compiled;

    @Inject
    public Trainer(Rng rng, Set<TrainingListener> listeners, Settings settings) {
        this.rng = rng;
        this.listeners = List.copyOf(listeners);
        this.compiled = settings.compiled();
    }

    /** Eager (no compiled steps): for callers without a {@link Settings}. */
    public Trainer(Rng rng, Set<TrainingListener> listeners) {
        this(rng, listeners, Settings.defaults().withCompiled(false));
    }

    /**
     * Where a run ended, why it ended early ({@code null} when it ran all its epochs), and its compiled steps'
     * plans ({@link CompiledStep#explain()}: native calls, units, arena, or why a step stayed eager).
     */
    public record Result(TrainingState state, String stopReason, String plan) {}

    public Result fit(TrainingRun run) {
        TrainingState state = run.start();
        listeners.forEach(l -> l.onStart(run, run.start()));
        Layer model = run.model().layer();
        Optimizer opt = run.optimizer();
        TrainingListener.Control control = new TrainingListener.Control();
        long step = state.step();
        Steps steps = new Steps(run, rng, compiled);
        for (int epoch = state.epoch() + 1; epoch <= run.spec().epochs() && control.stopReason() == null; epoch++) {
            long started = System.nanoTime();
            model.train(true);
            Pass pass = run.trainer() != null ? strategyEpoch(run, epoch, step) : gradientEpoch(run, epoch, step,
                    steps.train);
            step = pass.step();
            double seconds = (System.nanoTime() - started) / 1e9;
            Evaluation.Result test = Evaluation.evaluate(model, run.loss(), run.test(), steps.eval);
            Evaluation.Result validation = Evaluation.evaluate(model, run.loss(), run.validation(), steps.eval);
            EpochStats stats = new EpochStats(epoch, pass.lossSum() / pass.seen(), test.loss(), test.accuracy(),
                    opt == null ? Double.NaN : opt.learningRate(), seconds, pass.seen() / seconds, validation.loss(),
                    validation.accuracy());
            state = state.next(stats, step, rng.state());
            TrainingState s = state;
            listeners.forEach(l -> l.onEpoch(run, stats, s, control));
        }
        TrainingState end = state;
        listeners.forEach(l -> l.onEnd(run, end));
        String plan = steps.explain();
        steps.close();
        return new Result(state, control.stopReason(), plan);
    }

    /** The run's compiled steps: training, and evaluation (captured per batch shape and replayed). */
    private static final class Steps {
        final TrainStep train;
        final CompiledStep eval;

        Steps(TrainingRun run, Rng rng, boolean compiled) {
            Layer model = run.model().layer();
            train = run.optimizer() == null ? null : new TrainStep(model, run.loss(), run.optimizer(), rng, compiled);
            eval = Evaluation.step(model, run.loss(), rng, compiled);
        }

        String explain() {
            return (train == null ? "" : train.explain()) + eval.explain();
        }

        void close() {
            if (train != null) {
                train.close();
            }
            eval.close();
        }
    }

    /** One epoch's training: the loss summed over examples, the examples seen, the step counter after it. */
    private record Pass(double lossSum, long seen, long step) {}

    /** A trainer strategy's fit (one "step"), reported with the run's loss on the training data. */
    private static Pass strategyEpoch(TrainingRun run, int epoch, long step) {
        long seen = run.train().dataset().size();
        return new Pass(run.trainer().fitEpoch(run, epoch) * seen, seen, step + 1);
    }

    /** Optimizer steps over the shuffled batches. */
    private Pass gradientEpoch(TrainingRun run, int epoch, long step, TrainStep train) {
        Optimizer opt = run.optimizer();
        if (run.schedule() != null && run.spec().scheduleUnit().equals("epoch")) {
            opt.setLearningRate(run.schedule().learningRate(epoch - 1, run.baseLr()));
        }
        double lossSum = 0;
        long seen = 0;
        DataLoader loader = run.train();
        try (DataLoader.Epoch batches = loader.epoch()) {
            long index = 0;
            while (batches.hasNext()) {
                Batch b = batches.next();
                if (run.schedule() != null && run.spec().scheduleUnit().equals("step")) {
                    opt.setLearningRate(run.schedule().learningRate(step, run.baseLr()));
                }
                double loss = trainStep(train, b, epoch, step, index, loader.batches());
                b.release();
                step++;
                index++;
                lossSum += loss * b.size();
                seen += b.size();
                TrainingListener.BatchEvent event = new TrainingListener.BatchEvent(epoch, index, loader.batches(),
                        step, loss, b.size());
                listeners.forEach(l -> l.onBatch(run, event));
            }
        }
        return new Pass(lossSum, seen, step);
    }

    private static double trainStep(TrainStep train, Batch b, int epoch, long step, long index, long batches) {
        try {
            return train.run(b.features(), b.labels());
        } catch (NonFiniteLossException e) {
            throw new TrainingDivergedException("training diverged at epoch " + epoch + ", step " + (step + 1)
                    + " (batch " + (index + 1) + " of " + batches + "): " + e.getMessage()
                    + "; nothing was saved after epoch " + (epoch - 1), epoch, step + 1, e);
        }
    }
}

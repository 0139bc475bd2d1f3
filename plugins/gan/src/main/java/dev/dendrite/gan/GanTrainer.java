package dev.dendrite.gan;

import dev.dendrite.data.Batch;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.train.TrainingDivergedException;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Alternating GAN training (Goodfellow et al. 2014, Algorithm 1): per round, {@code discriminatorSteps}
 * discriminator steps, each on a new real batch and as many generated examples, then {@code generatorSteps}
 * generator steps. An epoch is one pass over the real data. As in PyTorch's DCGAN example, the round's last
 * generated batch is reused (through the graph) by the first generator step instead of generating it again:
 * one generator forward fewer per round, the same mathematics. Deterministic for a seed: shuffling and noise
 * come from the run's one random stream, saved in each checkpoint.
 */
public final class GanTrainer {
    private final List<GanListener> listeners;
    private final ToDoubleFunction<Layer> scorer;

    /** @param scorer scores the generator (in evaluation mode) after every epoch; null for none */
    public GanTrainer(List<GanListener> listeners, ToDoubleFunction<Layer> scorer) {
        this.listeners = List.copyOf(listeners);
        this.scorer = scorer;
    }

    public GanState fit(GanRun run) {
        GanState state = run.start();
        GanState initial = state;
        listeners.forEach(l -> l.onStart(run, initial));
        for (int epoch = state.epoch() + 1; epoch <= run.spec().epochs(); epoch++) {
            state = epoch(run, epoch, state);
            GanState s = state;
            GanEpochStats stats = s.history().get(s.history().size() - 1);
            listeners.forEach(l -> l.onEpoch(run, stats, s));
        }
        return state;
    }

    private GanState epoch(GanRun run, int epoch, GanState state) {
        long started = System.nanoTime();
        run.generator().train(true);
        run.discriminator().train(true);
        Sums sums = new Sums();
        long dSteps = state.discriminatorSteps();
        long gSteps = state.generatorSteps();
        int perRound = run.spec().discriminatorSteps();
        try (var batches = run.data().epoch()) {
            int inRound = 0;
            while (batches.hasNext()) {
                Batch b = batches.next();
                boolean roundEnds = ++inRound == perRound;
                Tensor fake;
                // Only the round's last generated batch feeds a generator step; the others need no graph.
                try (GradMode.Scope graph = roundEnds ? GradMode.on() : GradMode.off()) {
                    fake = generate(run, b.size());
                }
                double d = discriminatorStep(run, Tensor.of(b.features()), fake, sums, epoch, ++dSteps);
                double g = 0;
                if (roundEnds) {
                    inRound = 0;
                    for (int k = 0; k < run.spec().generatorSteps(); k++) {
                        g += generatorStep(run, k == 0 ? fake : generate(run, b.size()), sums, epoch, ++gSteps);
                    }
                    g /= run.spec().generatorSteps();
                } else {
                    g = Double.NaN;
                }
                GanListener.BatchEvent event = new GanListener.BatchEvent(epoch, b.size(), d, g);
                listeners.forEach(l -> l.onBatch(run, event));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double score = Double.NaN;
        if (scorer != null) {
            run.generator().train(false);
            try (GradMode.Scope off = GradMode.off()) {
                score = scorer.applyAsDouble(run.generator());
            }
            run.generator().train(true);
        }
        GanEpochStats stats = new GanEpochStats(epoch, sums.d / sums.dn, sums.g / sums.gn, sums.real / sums.dn,
                sums.fake / sums.dn, score, seconds, sums.examples / seconds);
        return state.next(stats, dSteps, gSteps, run.rng().state());
    }

    /**
     * One discriminator step on {@code real} and the spec's generator steps after it, outside any epoch (no
     * listeners, no ratio): what a benchmark times as one DCGAN iteration.
     *
     * @return the discriminator loss and the mean generator loss
     */
    public static double[] step(GanRun run, Tensor real) {
        Sums sums = new Sums();
        Tensor fake = generate(run, real.size(0));
        double d = discriminatorStep(run, real, fake, sums, 1, 1);
        double g = 0;
        for (int k = 0; k < run.spec().generatorSteps(); k++) {
            g += generatorStep(run, k == 0 ? fake : generate(run, real.size(0)), sums, 1, k + 1);
        }
        return new double[] {d, g / run.spec().generatorSteps()};
    }

    /** The losses and discriminator outputs summed over an epoch's steps. */
    private static final class Sums {
        double d;
        double g;
        double real;
        double fake;
        long dn;
        long gn;
        long examples;
    }

    /** G(z) for {@code n} fresh noise vectors, with its graph (the generator step backpropagates through it). */
    private static Tensor generate(GanRun run, long n) {
        Tensor z = Tensor.of(Init.normal(run.rng(), run.dtype(), 0, 1, run.spec().noiseShape(n)));
        return run.generator().forward(z);
    }

    /** @return the step's loss */
    private static double discriminatorStep(GanRun run, Tensor real, Tensor fake, Sums sums, int epoch, long step) {
        run.discriminatorOptimizer().zeroGrad();
        Tensor sReal = run.discriminator().forward(real);
        Tensor sFake = run.discriminator().forward(fake.detach());
        Tensor loss = run.loss().discriminator(sReal, sFake, run.spec().realTarget());
        double v = finite(loss, "discriminator", epoch, step);
        loss.backward();
        run.discriminatorOptimizer().step();
        sums.d += v;
        sums.real += sReal.data().meanNumber().doubleValue();
        sums.fake += sFake.data().meanNumber().doubleValue();
        sums.dn++;
        sums.examples += real.size(0);
        return v;
    }

    /**
     * One generator step. The discriminator's gradients it leaves behind are cleared by the next discriminator
     * step's zeroGrad; only the generator's optimizer steps here.
     */
    private static double generatorStep(GanRun run, Tensor fake, Sums sums, int epoch, long step) {
        run.generatorOptimizer().zeroGrad();
        Tensor loss = run.loss().generator(run.discriminator().forward(fake));
        double v = finite(loss, "generator", epoch, step);
        loss.backward();
        run.generatorOptimizer().step();
        sums.g += v;
        sums.gn++;
        return v;
    }

    private static double finite(Tensor loss, String which, int epoch, long step) {
        double v = loss.item();
        if (!Double.isFinite(v)) {
            throw new TrainingDivergedException("GAN training diverged at epoch " + epoch + ", " + which + " step "
                    + step + ": the " + which + " loss is " + v + "; nothing was saved after epoch " + (epoch - 1),
                    epoch, step, null);
        }
        return v;
    }
}

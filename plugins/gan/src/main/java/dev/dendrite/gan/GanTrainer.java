package dev.dendrite.gan;

import dev.dendrite.data.Batch;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.tensor.CompiledStep;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.train.TrainingDivergedException;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Alternating GAN training (Goodfellow et al. 2014, Algorithm 1): per round, {@code discriminatorSteps}
 * discriminator steps, each on a new real batch and as many generated examples, then {@code generatorSteps}
 * generator steps. An epoch is one pass over the real data. As in PyTorch's DCGAN example, the round's last
 * generated batch is reused (through the graph) by the first generator step instead of generating it again:
 * one generator forward fewer per round, the same mathematics. Deterministic for a seed: shuffling and noise
 * come from the run's one random stream, saved in each checkpoint. The steps are compiled ({@link Steps}) unless
 * asked otherwise.
 */
public final class GanTrainer {
    private final List<GanListener> listeners;
    private final ToDoubleFunction<Layer> scorer;
    private final boolean compiled;

    /** @param scorer scores the generator (in evaluation mode) after every epoch; null for none */
    public GanTrainer(List<GanListener> listeners, ToDoubleFunction<Layer> scorer) {
        this(listeners, scorer, true);
    }

    /** @param compiled false: every step eagerly ({@code --eager}); the results are the same bit for bit */
    public GanTrainer(List<GanListener> listeners, ToDoubleFunction<Layer> scorer, boolean compiled) {
        this.listeners = List.copyOf(listeners);
        this.scorer = scorer;
        this.compiled = compiled;
    }

    public GanState fit(GanRun run) {
        GanState state = run.start();
        GanState initial = state;
        listeners.forEach(l -> l.onStart(run, initial));
        try (Steps steps = new Steps(run, compiled)) {
            for (int epoch = state.epoch() + 1; epoch <= run.spec().epochs(); epoch++) {
                state = epoch(run, steps, epoch, state);
                GanState s = state;
                GanEpochStats stats = s.history().get(s.history().size() - 1);
                listeners.forEach(l -> l.onEpoch(run, stats, s));
            }
        }
        return state;
    }

    private GanState epoch(GanRun run, Steps steps, int epoch, GanState state) {
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
                // Only the round's last generated batch feeds a generator step; the others need no backward.
                INDArray fake = steps.generate(b.size(), roundEnds);
                double d = steps.discriminatorStep(b.features(), fake, sums, epoch, ++dSteps);
                double g = 0;
                if (roundEnds) {
                    inRound = 0;
                    for (int k = 0; k < run.spec().generatorSteps(); k++) {
                        g += steps.generatorStep(k == 0 ? fake : steps.generate(b.size(), true), sums, epoch,
                                ++gSteps);
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
     * listeners, no ratio): what a benchmark times as one DCGAN iteration. Call it on one {@link Steps}.
     *
     * @return the discriminator loss and the mean generator loss
     */
    public static double[] step(Steps steps, INDArray real) {
        Sums sums = new Sums();
        long n = real.size(0);
        INDArray fake = steps.generate(n, true);
        double d = steps.discriminatorStep(real, fake, sums, 1, 1);
        double g = 0;
        int gSteps = steps.run.spec().generatorSteps();
        for (int k = 0; k < gSteps; k++) {
            g += steps.generatorStep(k == 0 ? fake : steps.generate(n, true), sums, 1, k + 1);
        }
        return new double[] {d, g / gSteps};
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

    /**
     * A run's three compiled steps. The generator's forward G(z) is one (its backward waits, seeded with the
     * gradient the generator loss hands back to G(z)); the discriminator step (both D forwards, its loss and
     * backward) another; the generator's loss through D a third, which asks for the gradient of its input.
     * Split so, one round does what eager autodiff does through one graph, bit for bit: G runs forward once, the
     * discriminator step sees G(z)'s values, and the generator step updates D's gradients it then discards.
     */
    public static final class Steps implements AutoCloseable {
        private final GanRun run;
        private final CompiledStep generator;
        private final CompiledStep discriminator;
        private final CompiledStep generatorLoss;
        /** Whether {@link #generator}'s last forward waits for its backward (a generator step will follow). */
        private boolean pending;

        public Steps(GanRun run, boolean compiled) {
            this.run = run;
            Layer g = run.generator();
            Layer d = run.discriminator();
            generator = new CompiledStep("generator", in -> new Tensor[] {g.forward(in[0])}, run.rng(), compiled,
                    g::buffers);
            discriminator = new CompiledStep("discriminator step", in -> {
                Tensor sReal = d.forward(in[0]);
                Tensor sFake = d.forward(in[1]);
                return new Tensor[] {run.loss().discriminator(sReal, sFake, run.spec().realTarget()), sReal, sFake};
            }, run.rng(), compiled, d::buffers);
            generatorLoss = new CompiledStep("generator loss", in -> new Tensor[] {run.loss().generator(d.forward(in[0]))},
                    run.rng(), compiled, d::buffers);
        }

        /** G(z) for {@code n} fresh noise vectors from the run's stream; {@code forStep}: a generator step follows. */
        INDArray generate(long n, boolean forStep) {
            INDArray z = Init.normal(run.rng(), run.dtype(), 0, 1, run.spec().noiseShape(n));
            if (pending) {
                throw new IllegalStateException("a generated batch waits for its generator step");
            }
            pending = forStep;
            if (forStep) {
                // The generator step's backward fills these; clear them now, before the step that records it.
                run.generatorOptimizer().zeroGrad();
            }
            try (GradMode.Scope graph = forStep ? GradMode.on() : GradMode.off()) {
                return generator.forward(run.generator().isTraining(), forStep, z)[0].data();
            }
        }

        /** @return the step's loss */
        double discriminatorStep(INDArray real, INDArray fake, Sums sums, int epoch, long step) {
            run.discriminatorOptimizer().zeroGrad();
            Tensor[] out = discriminator.forward(run.discriminator().isTraining(), true, real, fake);
            double v = finite(discriminator, out[0], "discriminator", epoch, step);
            discriminator.backward();
            run.discriminatorOptimizer().step();
            sums.d += v;
            sums.real += out[1].data().meanNumber().doubleValue();
            sums.fake += out[2].data().meanNumber().doubleValue();
            sums.dn++;
            sums.examples += real.size(0);
            return v;
        }

        /**
         * One generator step on the batch {@link #generate} made last. The discriminator's gradients it computes on
         * the way are discarded (the next discriminator step starts from zero); only the generator's optimizer steps.
         */
        double generatorStep(INDArray fake, Sums sums, int epoch, long step) {
            run.discriminatorOptimizer().zeroGrad();
            Tensor loss = generatorLoss.forward(run.discriminator().isTraining(), true, new boolean[] {true}, fake)[0];
            double v;
            try {
                v = finite(generatorLoss, loss, "generator", epoch, step);
            } catch (TrainingDivergedException e) {
                generator.cancel();
                pending = false;
                throw e;
            }
            generatorLoss.backward();
            generator.backward(generatorLoss.inputGradient(0));
            pending = false;
            run.generatorOptimizer().step();
            sums.g += v;
            sums.gn++;
            return v;
        }

        @Override
        public void close() {
            generator.close();
            discriminator.close();
            generatorLoss.close();
        }
    }

    private static double finite(CompiledStep owner, Tensor loss, String which, int epoch, long step) {
        double v = loss.item();
        if (!Double.isFinite(v)) {
            owner.cancel();
            throw new TrainingDivergedException("GAN training diverged at epoch " + epoch + ", " + which + " step "
                    + step + ": the " + which + " loss is " + v + "; nothing was saved after epoch " + (epoch - 1),
                    epoch, step, null);
        }
        return v;
    }
}

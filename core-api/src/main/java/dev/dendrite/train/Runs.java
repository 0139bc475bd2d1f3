package dev.dendrite.train;

import dev.dendrite.data.DataLoader;
import dev.dendrite.data.Dataset;
import dev.dendrite.data.Splits;
import dev.dendrite.inject.Registries;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Model;
import dev.dendrite.nn.Parameters;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.random.Rng;

/** Assembles a {@link TrainingRun} from a spec, or from a checkpoint to continue it. */
public final class Runs {
    private Runs() {}

    /** A new run: parameters drawn from the context's stream (seeded with the spec's seed by the caller). */
    public static TrainingRun fresh(TrainingSpec spec, LayerContext ctx, Registries registries, Dataset train,
            Dataset test) {
        Model model = Model.build(spec.model(), ctx);
        Optimizer opt = optimizer(registries, spec, model);
        Dataset[] split = split(spec, train);
        return new TrainingRun(spec, model, Components.loss(registries, spec.loss()), opt,
                opt == null ? Double.NaN : opt.learningRate(), Components.schedule(registries, spec.schedule()),
                loader(spec, split[0], ctx.rng()), split[1], test, TrainingState.start(ctx.rng().state()),
                Components.trainer(registries, spec.trainer()));
    }

    /**
     * The run a checkpoint froze, ready to continue: same spec (with {@code epochs} possibly raised),
     * parameters, optimizer state and random stream, so the continuation is bit-exact.
     */
    public static TrainingRun resume(Checkpoint ck, int epochs, LayerContext ctx, Registries registries,
            Dataset train, Dataset test) {
        TrainingSpec spec = ck.spec().withEpochs(epochs);
        Model model = Model.build(spec.model(), ctx);
        Parameters.load(model.layer(), ck.parameters(), "checkpoint");
        Optimizer opt = optimizer(registries, spec, model);
        double baseLr = opt == null ? Double.NaN : opt.learningRate();
        if (opt != null) {
            opt.loadState(ck.optimizer());
        }
        Rng rng = ctx.rng();
        rng.restore(ck.state().rngState());
        Dataset[] split = split(spec, train);
        return new TrainingRun(spec, model, Components.loss(registries, spec.loss()), opt, baseLr,
                Components.schedule(registries, spec.schedule()), loader(spec, split[0], rng), split[1], test,
                ck.state(), Components.trainer(registries, spec.trainer()));
    }

    /** Null when a trainer strategy runs without one. */
    private static Optimizer optimizer(Registries registries, TrainingSpec spec, Model model) {
        return spec.optimizer() == null ? null
                : Components.optimizer(registries, spec.optimizer(), model.layer().parameters());
    }

    /** {@code [train, validation or null]}; the split depends only on the seed, so a resume gets the same. */
    private static Dataset[] split(TrainingSpec spec, Dataset train) {
        return spec.validates() ? Splits.holdOut(train, spec.validationSplit(), spec.seed() ^ 0x5EEDL)
                : new Dataset[] {train, null};
    }

    private static DataLoader loader(TrainingSpec spec, Dataset train, Rng rng) {
        return new DataLoader(train, spec.batchSize(), true, false, rng);
    }

    /** The checkpoint of {@code run} as it stands in {@code state}. */
    public static Checkpoint checkpoint(TrainingRun run, TrainingState state) {
        return new Checkpoint(run.spec(), state, Parameters.snapshot(run.model().layer()),
                run.optimizer() == null ? java.util.Map.of() : run.optimizer().state());
    }
}

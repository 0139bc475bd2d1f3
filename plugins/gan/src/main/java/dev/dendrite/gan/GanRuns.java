package dev.dendrite.gan;

import dev.dendrite.data.DataLoader;
import dev.dendrite.data.Dataset;
import dev.dendrite.inject.Registries;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Parameters;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import dev.dendrite.spi.Registry;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Assembles a {@link GanRun} from a spec, or from a checkpoint to continue it bit-exactly. */
public final class GanRuns {
    private GanRuns() {}

    /**
     * A new run: the generator's parameters, then the discriminator's, are drawn from the context's stream
     * (seeded with the spec's seed by the caller), then DCGAN-style re-initialised when the spec asks.
     */
    public static GanRun fresh(GanSpec spec, LayerContext ctx, Registries registries, Dataset real) {
        Layer g = ctx.build(spec.generator());
        Layer d = ctx.build(spec.discriminator());
        if (spec.initStd() != null) {
            normalInit(g, ctx.rng(), spec.initStd());
            normalInit(d, ctx.rng(), spec.initStd());
        }
        return assemble(spec, g, d, ctx, registries, real, GanState.start(ctx.rng().state()), null);
    }

    /** The run {@code ck} froze, with {@code epochs} possibly raised. */
    public static GanRun resume(GanCheckpoint ck, int epochs, LayerContext ctx, Registries registries, Dataset real) {
        GanSpec spec = ck.spec().withEpochs(epochs);
        Layer g = ctx.build(spec.generator());
        Layer d = ctx.build(spec.discriminator());
        Parameters.load(g, ck.generator(), "checkpoint generator");
        Parameters.load(d, ck.discriminator(), "checkpoint discriminator");
        ctx.rng().restore(ck.state().rngState());
        return assemble(spec, g, d, ctx, registries, real, ck.state(), ck);
    }

    private static GanRun assemble(GanSpec spec, Layer g, Layer d, LayerContext ctx, Registries registries,
            Dataset real, GanState start, GanCheckpoint ck) {
        Optimizer gOpt = dev.dendrite.train.Components.optimizer(registries, spec.generatorOptimizer(), g.parameters());
        Optimizer dOpt = dev.dendrite.train.Components.optimizer(registries, spec.discriminatorOptimizer(),
                d.parameters());
        if (ck != null) {
            gOpt.loadState(ck.generatorOptimizer());
            dOpt.loadState(ck.discriminatorOptimizer());
        }
        GanLoss loss = loss(spec, dev.dendrite.spi.PluginJars.defaultLoader());
        DataLoader data = new DataLoader(real, spec.batchSize(), true, false, ctx.rng());
        return new GanRun(spec, g, d, gOpt, dOpt, loss, data, ctx.rng(), ctx.dtype(), start);
    }

    /** The spec's loss, found with ServiceLoader; refuses label smoothing for a loss without real-example targets. */
    public static GanLoss loss(GanSpec spec, ClassLoader loader) {
        Registry<GanLossProvider<?>> losses = losses(loader);
        GanLoss loss = create(losses.get(spec.loss().type()), spec.loss().config());
        if (spec.labelSmoothing() > 0 && !loss.hasRealTarget()) {
            throw new dev.dendrite.tensor.DendriteException("labelSmoothing " + spec.labelSmoothing()
                    + " cannot apply to the '" + loss.kind() + "' loss: it has a margin, not a target label for real"
                    + " examples; set labelSmoothing to 0");
        }
        return loss;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Registry<GanLossProvider<?>> losses(ClassLoader loader) {
        return (Registry) Registry.load("GAN loss", GanLossProvider.class, loader);
    }

    private static <C extends Record> GanLoss create(GanLossProvider<C> p, com.fasterxml.jackson.databind.JsonNode c) {
        return p.create(Json.config(p, c));
    }

    /** The checkpoint of {@code run} as it stands in {@code state}. */
    public static GanCheckpoint checkpoint(GanRun run, GanState state) {
        return new GanCheckpoint(run.spec(), state, Parameters.snapshot(run.generator()),
                Parameters.snapshot(run.discriminator()), run.generatorOptimizer().state(),
                run.discriminatorOptimizer().state());
    }

    /**
     * Radford et al.'s initialisation: weights of rank ≥ 2 (convolutions, dense) from N(0, std), rank-1 weights
     * (BatchNorm scales) from N(1, std), biases zero. Buffers (running statistics) are left alone.
     */
    static void normalInit(Layer layer, Rng rng, double std) {
        for (Map.Entry<String, Tensor> e : layer.parameters().entrySet()) {
            INDArray p = e.getValue().data();
            String name = e.getKey();
            if (name.equals("bias") || name.endsWith(".bias")) {
                p.assign(0);
            } else if (p.rank() >= 2) {
                p.assign(Init.normal(rng, p.dataType(), 0, std, p.shape()));
            } else {
                p.assign(Init.normal(rng, p.dataType(), 1, std, p.shape()));
            }
        }
    }
}

package dev.dendrite.train;

import dev.dendrite.inject.Registries;
import dev.dendrite.loss.Loss;
import dev.dendrite.loss.LossProvider;
import dev.dendrite.nn.ComponentSpec;
import dev.dendrite.optim.LrSchedule;
import dev.dendrite.optim.LrScheduleProvider;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.optim.OptimizerProvider;
import dev.dendrite.spi.Json;
import dev.dendrite.spi.Provider;
import dev.dendrite.spi.Registry;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Tensor;
import java.util.Map;

/** Builds losses, optimizers, schedules and trainer strategies from their specs through the registries. */
public final class Components {
    private Components() {}

    public static Loss loss(Registries r, ComponentSpec spec) {
        return create(provider(r.losses(), spec), spec);
    }

    public static Optimizer optimizer(Registries r, ComponentSpec spec, Map<String, Tensor> parameters) {
        return create(provider(r.optimizers(), spec), spec, parameters);
    }

    public static LrSchedule schedule(Registries r, ComponentSpec spec) {
        return spec == null ? null : create(provider(r.schedules(), spec), spec);
    }

    /** Null for a spec without a {@code "trainer"}: gradient steps. */
    public static TrainerStrategy trainer(Registries r, ComponentSpec spec) {
        return spec == null ? null : create(provider(r.trainers(), spec), spec);
    }

    private static <C extends Record> TrainerStrategy create(TrainerStrategyProvider<C> p, ComponentSpec spec) {
        return p.create(Json.config(p, spec.config()));
    }

    private static <P extends Provider<?>> P provider(Registry<P> registry, ComponentSpec spec) {
        if (spec == null || spec.type() == null) {
            throw new DendriteException(registry.kind() + " spec without a \"type\"");
        }
        return registry.get(spec.type());
    }

    private static <C extends Record> Loss create(LossProvider<C> p, ComponentSpec spec) {
        return p.create(Json.config(p, spec.config()));
    }

    private static <C extends Record> Optimizer create(OptimizerProvider<C> p, ComponentSpec spec,
            Map<String, Tensor> parameters) {
        return p.create(Json.config(p, spec.config()), parameters);
    }

    private static <C extends Record> LrSchedule create(LrScheduleProvider<C> p, ComponentSpec spec) {
        return p.create(Json.config(p, spec.config()));
    }
}

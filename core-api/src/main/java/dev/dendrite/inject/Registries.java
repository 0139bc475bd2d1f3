package dev.dendrite.inject;

import dev.dendrite.loss.LossProvider;
import dev.dendrite.nn.LayerProvider;
import dev.dendrite.optim.LrScheduleProvider;
import dev.dendrite.optim.OptimizerProvider;
import dev.dendrite.spi.Registry;
import dev.dendrite.train.TrainerStrategyProvider;

/** Every provider kind discovered on one class loader. */
public record Registries(Registry<LayerProvider<?>> layers, Registry<LossProvider<?>> losses,
        Registry<OptimizerProvider<?>> optimizers, Registry<LrScheduleProvider<?>> schedules,
        Registry<TrainerStrategyProvider<?>> trainers) {

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Registries discover(ClassLoader loader) {
        return new Registries(
                (Registry) Registry.load("layer", LayerProvider.class, loader),
                (Registry) Registry.load("loss", LossProvider.class, loader),
                (Registry) Registry.load("optimizer", OptimizerProvider.class, loader),
                (Registry) Registry.load("lr schedule", LrScheduleProvider.class, loader),
                (Registry) Registry.load("trainer", TrainerStrategyProvider.class, loader));
    }
}

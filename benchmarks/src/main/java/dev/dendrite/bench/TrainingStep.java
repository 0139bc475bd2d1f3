package dev.dendrite.bench;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.loss.Loss;
import dev.dendrite.nn.Layer;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.train.Components;
import dev.dendrite.train.TrainStep;
import dev.dendrite.train.TrainingSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A spec's model, loss and optimizer, built through Guice as a run builds them, with one fixed random batch:
 * float32 features [batch, 784] and int64 labels in [0, 10) from {@code dataSeed}. {@link #run()} is one
 * {@code Trainer} step ({@link TrainStep}), compiled unless asked for eager. Shared by the JMH benchmarks and the comparison harness, so both time the same thing.
 */
public final class TrainingStep {
    /** MLP 784-256-10 with SGD (lr 0.01, momentum 0.9), the harness's and MlpBenchmark's workload. */
    public static final String MLP_SPEC = """
            {"model": {"type": "sequential", "config": {"layers": [
               {"type": "dense", "name": "fc1", "config": {"in": 784, "out": 256}},
               {"type": "relu", "name": "relu1"},
               {"type": "dense", "name": "fc2", "config": {"in": 256, "out": 10}}]}},
             "loss": {"type": "cross_entropy"},
             "optimizer": {"type": "sgd", "config": {"lr": 0.01, "momentum": 0.9}},
             "epochs": 1, "batchSize": 256, "seed": 42, "data": "fashion-mnist"}""";

    public final Layer model;
    public final Tensor features;
    public final Tensor labels;
    private final TrainStep step;

    private TrainingStep(TrainingSpec spec, int batch, long dataSeed, boolean compiled) {
        Injector injector = Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(spec.seed())));
        Registries registries = injector.getInstance(Registries.class);
        model = injector.getInstance(dev.dendrite.nn.LayerContext.class).build(spec.model());
        model.train(true);
        Loss loss = Components.loss(registries, spec.loss());
        Optimizer opt = Components.optimizer(registries, spec.optimizer(), model.parameters());
        step = new TrainStep(model, loss, opt, injector.getInstance(Rng.class), compiled);
        Nd4j.getRandom().setSeed(dataSeed);
        features = Tensor.of(Nd4j.rand(DataType.FLOAT, batch, 784));
        labels = Tensor.of(Nd4j.rand(DataType.FLOAT, batch).muli(10).castTo(DataType.LONG));
    }

    /** Compiled, as the Trainer runs by default. */
    public static TrainingStep of(TrainingSpec spec, int batch, long dataSeed) {
        return of(spec, batch, dataSeed, true);
    }

    /** @param compiled false: every step eager (the {@code --eager} engine) */
    public static TrainingStep of(TrainingSpec spec, int batch, long dataSeed, boolean compiled) {
        return new TrainingStep(spec, batch, dataSeed, compiled);
    }

    public static TrainingStep mlp(int batch, long dataSeed) {
        return of(Json.read(MLP_SPEC, TrainingSpec.class), batch, dataSeed);
    }

    public static TrainingStep mlp(int batch, long dataSeed, boolean compiled) {
        return of(Json.read(MLP_SPEC, TrainingSpec.class), batch, dataSeed, compiled);
    }

    /** zeroGrad, forward, loss, backward, optimizer step; the loss value is read back, as the trainer does. */
    public double run() {
        return step.run(features.data(), labels.data());
    }
}

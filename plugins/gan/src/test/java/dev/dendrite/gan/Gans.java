package dev.dendrite.gan;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.data.ArrayDataset;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A one-dimensional GAN small enough to train in a test: real data N(3, 0.5²), noise of 4 dimensions. */
final class Gans {
    static final double MEAN = 3;
    static final double STD = 0.5;

    private Gans() {}

    static GanSpec spec(String loss, double labelSmoothing, int epochs) {
        return Json.read("""
                {"generator": {"type": "sequential", "config": {"layers": [
                   {"type": "dense", "name": "fc1", "config": {"in": 4, "out": 16}},
                   {"type": "relu"},
                   {"type": "dense", "name": "fc2", "config": {"in": 16, "out": 1}}]}},
                 "discriminator": {"type": "sequential", "config": {"layers": [
                   {"type": "dense", "name": "fc1", "config": {"in": 1, "out": 32}},
                   {"type": "leaky_relu", "config": {"alpha": 0.2}},
                   {"type": "dense", "name": "fc2", "config": {"in": 32, "out": 1}}]}},
                 "noise": [4], "loss": {"type": "%s"}, "labelSmoothing": %s,
                 "generatorOptimizer": {"type": "adam", "config": {"lr": 0.005, "beta1": 0.5}},
                 "discriminatorOptimizer": {"type": "adam", "config": {"lr": 0.005, "beta1": 0.5}},
                 "epochs": %d, "batchSize": 64, "seed": 7}""".formatted(loss, labelSmoothing, epochs), GanSpec.class);
    }

    static ArrayDataset real(int n) {
        INDArray x = Init.normal(new Rng(11), DataType.FLOAT, MEAN, STD, n, 1);
        return new ArrayDataset(x, Nd4j.zeros(DataType.FLOAT, n), "N(3, 0.5^2)");
    }

    /** A fresh process's worth of state: a new injector seeded from the spec. */
    static Injector injector(GanSpec spec) {
        return Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(spec.seed())));
    }

    static GanRun fresh(GanSpec spec, ArrayDataset data) {
        Injector i = injector(spec);
        return GanRuns.fresh(spec, i.getInstance(LayerContext.class), i.getInstance(Registries.class), data);
    }

    static GanState train(GanSpec spec, ArrayDataset data, GanListener... listeners) {
        return new GanTrainer(List.of(listeners), null).fit(fresh(spec, data));
    }
}

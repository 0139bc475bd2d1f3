package dev.dendrite.bench.compare;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Registries;
import dev.dendrite.inject.Settings;
import dev.dendrite.loss.Loss;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.optim.Optimizer;
import dev.dendrite.reference.models.LeNet5;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.train.Components;
import dev.dendrite.train.TrainingSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What one iteration of a workload is, in Dendrite and in ONNX Runtime. Training: zeroGrad, forward,
 * cross-entropy, backward, SGD (lr 0.01, momentum 0.9) step, loss read back, exactly as the Trainer runs it.
 * Inference: eval-mode forward without gradient. Inputs float32 [batch, 784] from a fixed seed.
 */
final class Steps {
    private static final String MLP = """
            {"model": {"type": "sequential", "config": {"layers": [
               {"type": "dense", "name": "fc1", "config": {"in": 784, "out": 256}},
               {"type": "relu"},
               {"type": "dense", "name": "fc2", "config": {"in": 256, "out": 10}}]}},
             "loss": {"type": "cross_entropy"},
             "optimizer": {"type": "sgd", "config": {"lr": 0.01, "momentum": 0.9}},
             "epochs": 1, "batchSize": 256, "seed": 42, "data": "fashion-mnist"}""";

    private Steps() {}

    static Runnable dendrite(Workload w) {
        Built b = build(w);
        if (!w.training()) {
            b.model.train(false);
            return () -> {
                try (var off = GradMode.off()) {
                    b.model.forward(b.x);
                }
            };
        }
        Optimizer opt = Components.optimizer(b.registries, b.spec.optimizer(), b.model.parameters());
        Loss loss = Components.loss(b.registries, b.spec.loss());
        b.model.train(true);
        return () -> {
            opt.zeroGrad();
            Tensor l = loss.apply(b.model.forward(b.x), b.y);
            l.backward();
            opt.step();
            l.item();
        };
    }

    /** ONNX Runtime on the model Dendrite exports; the runner stays open for the worker's lifetime. */
    static Runnable onnxRuntime(Workload w, int threads) {
        Built b = build(w);
        b.model.train(false);
        OrtRunner ort = new OrtRunner(OnnxExporter.export(b.model, b.x), threads);
        INDArray x = b.x.data();
        return () -> ort.run(x);
    }

    private record Built(TrainingSpec spec, Registries registries, Layer model, Tensor x, Tensor y) {}

    private static Built build(Workload w) {
        TrainingSpec spec = switch (w.model()) {
            case "lenet5" -> new LeNet5().spec();
            case "mlp" -> Json.read(MLP, TrainingSpec.class);
            default -> throw new IllegalArgumentException("no Dendrite model for " + w.name());
        };
        Injector injector = Guice.createInjector(new DendriteModule(Settings.defaults().withSeed(spec.seed())));
        LayerContext ctx = injector.getInstance(LayerContext.class);
        Nd4j.getRandom().setSeed(42);
        Tensor x = Tensor.of(Nd4j.rand(DataType.FLOAT, w.batch(), 784));
        Tensor y = Tensor.of(Nd4j.rand(DataType.FLOAT, w.batch()).muli(10).castTo(DataType.LONG));
        return new Built(spec, injector.getInstance(Registries.class), ctx.build(spec.model()), x, y);
    }
}

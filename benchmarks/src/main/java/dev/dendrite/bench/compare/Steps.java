package dev.dendrite.bench.compare;

import dev.dendrite.bench.TrainingStep;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.reference.models.LeNet5;
import dev.dendrite.tensor.GradMode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one iteration of a workload is, in Dendrite and in ONNX Runtime. Training: zeroGrad, forward,
 * cross-entropy, backward, SGD (lr 0.01, momentum 0.9) step, loss read back, exactly as the Trainer runs it.
 * Inference: eval-mode forward without gradient. Inputs float32 [batch, 784] from a fixed seed
 * ({@link TrainingStep}, shared with the JMH benchmarks).
 */
final class Steps {
    private Steps() {}

    static Runnable dendrite(Workload w) {
        TrainingStep step = build(w);
        if (w.training()) {
            return step::run;
        }
        step.model.train(false);
        return () -> {
            try (var off = GradMode.off()) {
                step.model.forward(step.features);
            }
        };
    }

    /** ONNX Runtime on the model Dendrite exports; the runner stays open for the worker's lifetime. */
    static Runnable onnxRuntime(Workload w, int threads) {
        TrainingStep step = build(w);
        step.model.train(false);
        OrtRunner ort = new OrtRunner(OnnxExporter.export(step.model, step.features), threads);
        INDArray x = step.features.data();
        return () -> ort.run(x);
    }

    private static TrainingStep build(Workload w) {
        return switch (w.model()) {
            case "lenet5" -> TrainingStep.of(new LeNet5().spec(), w.batch(), 42);
            case "mlp" -> TrainingStep.mlp(w.batch(), 42);
            default -> throw new IllegalArgumentException("no Dendrite model for " + w.name());
        };
    }
}

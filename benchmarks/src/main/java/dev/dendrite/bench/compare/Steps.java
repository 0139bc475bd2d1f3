package dev.dendrite.bench.compare;

import dev.dendrite.bench.TrainingStep;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.reference.models.LeNet5;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.train.TrainingSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one iteration of a workload is, in Dendrite and in ONNX Runtime. Training: zeroGrad, forward,
 * cross-entropy, backward, SGD (lr 0.01, momentum 0.9) step, loss read back, exactly as the Trainer runs it.
 * Inference: eval-mode forward without gradient. Inputs float32 [batch, 784] from a fixed seed
 * ({@link TrainingStep}, shared with the JMH benchmarks).
 */
final class Steps {
    private Steps() {}

    /**
     * {@code rbf_train_b128}: 784 → 400 Gaussian units (the kernel plugin's {@code rbf}: centres N(0, 1), learnable
     * γ starting at 1/784) → {@code dense} 400 → 10, cross-entropy, SGD lr 0.01 momentum 0.9, as the other
     * training rows. torch_worker.py builds the same net.
     */
    static final String RBF_SPEC = """
            {"model": {"type": "sequential", "config": {"layers": [
               {"type": "rbf", "name": "rbf", "config": {"in": 784, "centres": 400, "learnGamma": true}},
               {"type": "dense", "name": "fc", "config": {"in": 400, "out": 10}}]}},
             "loss": {"type": "cross_entropy"},
             "optimizer": {"type": "sgd", "config": {"lr": 0.01, "momentum": 0.9}},
             "epochs": 1, "batchSize": 128, "seed": 42, "data": "fashion-mnist"}""";

    static Runnable dendrite(Workload w) {
        switch (w.model()) {
            case "dcgan":
                return DcganStep.of(w.batch(), 42);
            case "lstm":
                return SequenceSteps.lstm(w.batch(), 42);
            case "transformer":
                return SequenceSteps.transformer(w.batch(), 42);
            default:
                break;
        }
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
            case "rbf" -> TrainingStep.of(Json.read(RBF_SPEC, TrainingSpec.class), w.batch(), 42);
            default -> throw new IllegalArgumentException("no Dendrite model for " + w.name());
        };
    }
}

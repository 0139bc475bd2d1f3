package dev.dendrite.bench.compare;

import dev.dendrite.bench.ImportedSteps;
import dev.dendrite.bench.TrainingStep;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OnnxFiles;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.reference.models.LeNet5;
import dev.dendrite.spi.Json;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.CompiledStep;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.train.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one iteration of a workload is, in Dendrite and in ONNX Runtime. Training: zeroGrad, forward,
 * cross-entropy, backward, SGD (lr 0.01, momentum 0.9) step, loss read back, exactly as the Trainer runs it
 * (compiled by default, or eagerly for the {@code dendrite_eager} column). Inference: eval-mode forward without
 * gradient, compiled the same way. Inputs float32 [batch, 784] from a fixed seed
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

    /**
     * @param compiled false: the {@code --eager} engine (the {@code dendrite_eager} column)
     * @param models where the torchvision rows' ONNX files are ({@code NAME.onnx}, exported by the PyTorch worker)
     */
    static Runnable dendrite(Workload w, boolean compiled, Path models) {
        if (w.torchvision()) {
            Path file = torchvisionFile(w, models);
            return w.training() ? ImportedSteps.train(file, w.batch(), compiled)
                    : ImportedSteps.infer(file, w.batch(), compiled);
        }
        return dendrite(w, compiled);
    }

    /** The torchvision row's exported model; a one-line error when it is not there. */
    static Path torchvisionFile(Workload w, Path models) {
        Path file = models == null ? null : models.resolve(w.torchvisionName() + ".onnx");
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalStateException(w.name() + ": no exported model " + (file == null ? "(no models folder)"
                    : file) + "; the PyTorch worker exports it");
        }
        return file;
    }

    /** @param compiled false: the {@code --eager} engine (the {@code dendrite_eager} column) */
    static Runnable dendrite(Workload w, boolean compiled) {
        switch (w.model()) {
            case "dcgan":
                return DcganStep.of(w.batch(), 42, compiled);
            case "lstm":
                return SequenceSteps.lstm(w.batch(), 42, compiled);
            case "transformer":
                return SequenceSteps.transformer(w.batch(), 42, compiled);
            default:
                break;
        }
        TrainingStep step = build(w, compiled);
        if (w.training()) {
            return step::run;
        }
        step.model.train(false);
        CompiledStep forward = new CompiledStep("inference", in -> new Tensor[] {step.model.forward(in[0])},
                new Rng(0), compiled, step.model::buffers);
        INDArray x = step.features.data();
        return () -> {
            try (var off = GradMode.off()) {
                forward.forward(Boolean.FALSE, false, x);
            }
        };
    }

    /**
     * ONNX Runtime on the model Dendrite exports (a torchvision row: on PyTorch's export, the file Dendrite imports);
     * the runner stays open for the worker's lifetime.
     */
    static Runnable onnxRuntime(Workload w, int threads, Path models) {
        if (w.torchvision()) {
            OrtRunner ort = new OrtRunner(OnnxFiles.readModel(torchvisionFile(w, models)), threads);
            INDArray x = ImportedSteps.images(w.batch());
            return () -> ort.run(x);
        }
        TrainingStep step = build(w, false);
        step.model.train(false);
        OrtRunner ort = new OrtRunner(OnnxExporter.export(step.model, step.features), threads);
        INDArray x = step.features.data();
        return () -> ort.run(x);
    }

    private static TrainingStep build(Workload w, boolean compiled) {
        return switch (w.model()) {
            case "lenet5" -> TrainingStep.of(new LeNet5().spec(), w.batch(), 42, compiled);
            case "mlp" -> TrainingStep.mlp(w.batch(), 42, compiled);
            case "rbf" -> TrainingStep.of(Json.read(RBF_SPEC, TrainingSpec.class), w.batch(), 42, compiled);
            default -> throw new IllegalArgumentException("no Dendrite model for " + w.name());
        };
    }
}

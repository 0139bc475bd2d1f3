package dev.dendrite.bench.compare;

import java.util.List;

/**
 * One row of the comparison: a model, a batch size, training or inference, and how many iterations one
 * measurement runs (about a second on this machine's two cores; {@code --quick} halves it).
 *
 * @param model {@code lenet5}, {@code mlp}, {@code rbf}, {@code dcgan}, {@code lstm}, {@code transformer}, or
 *     {@code tv:NAME} for torchvision's {@code NAME} at 3×64×64, which PyTorch exports and Dendrite imports
 */
public record Workload(String name, String model, int batch, boolean training, int iterations) {
    /** The workloads, in table order; rows added later go at the end, so the earlier ones keep their place. */
    public static final List<Workload> ALL = List.of(
            new Workload("lenet5_train_b64", "lenet5", 64, true, 40),
            new Workload("lenet5_train_b256", "lenet5", 256, true, 12),
            new Workload("mlp_train_b256", "mlp", 256, true, 60),
            new Workload("lstm_train_b32", "lstm", 32, true, 10),
            new Workload("transformer_train_b32", "transformer", 32, true, 10),
            new Workload("dcgan_train_b64", "dcgan", 64, true, 8),
            new Workload("lenet5_infer_b1", "lenet5", 1, false, 600),
            new Workload("lenet5_infer_b64", "lenet5", 64, false, 120),
            new Workload("rbf_train_b128", "rbf", 128, true, 50),
            new Workload("resnet18_train_b16", "tv:resnet18", 16, true, 4),
            new Workload("mobilenet_v2_train_b16", "tv:mobilenet_v2", 16, true, 5),
            new Workload("shufflenet_v2_train_b16", "tv:shufflenet_v2_x0_5", 16, true, 20),
            new Workload("efficientnet_b0_train_b16", "tv:efficientnet_b0", 16, true, 4),
            new Workload("resnet18_infer_b1", "tv:resnet18", 1, false, 80),
            new Workload("resnet18_infer_b16", "tv:resnet18", 16, false, 16),
            new Workload("mobilenet_v2_infer_b1", "tv:mobilenet_v2", 1, false, 150),
            new Workload("mobilenet_v2_infer_b16", "tv:mobilenet_v2", 16, false, 30));

    /** Whether the row is a torchvision model that PyTorch exports and Dendrite imports. */
    public boolean torchvision() {
        return model.startsWith("tv:");
    }

    /** The torchvision model's name (torchvision rows only). */
    public String torchvisionName() {
        return model.substring("tv:".length());
    }

    /** ONNX Runtime runs the exported model for inference rows only. */
    public boolean hasOnnxRuntime() {
        return !training;
    }

    public String unit() {
        return "samples/s";
    }

    public static Workload named(String name) {
        return ALL.stream().filter(w -> w.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown workload " + name));
    }
}

package dev.dendrite.nn;

import dev.dendrite.tensor.Tensor;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer: named parameters and a forward pass written with primitives ({@link dev.dendrite.ops.F}).
 * Backward and ONNX export follow from the primitives. Extend {@link Module} rather than implementing
 * this directly.
 */
public interface Layer {
    Tensor forward(Tensor... inputs);

    /** The provider id, for messages. */
    String kind();

    /** Trainable parameters by hierarchical name ({@code "block1.conv.weight"}), in registration order. */
    Map<String, Tensor> parameters();

    /** Non-trainable state saved in checkpoints (running statistics), by hierarchical name. */
    Map<String, INDArray> buffers();

    /** Training mode (dropout active, batch statistics) or evaluation mode, for this layer and its children. */
    void train(boolean training);

    boolean isTraining();
}

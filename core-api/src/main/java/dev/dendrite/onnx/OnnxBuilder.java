package dev.dendrite.onnx;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What a primitive sees while it writes itself as ONNX: the target opset, fresh names, constants. */
public interface OnnxBuilder {
    /** The ai.onnx opset being written (13 or 17 today); ops whose signature changed check it. */
    int opset();

    /** Appends a node of the default domain. */
    default void node(String opType, String[] inputs, String[] outputs, Map<String, Object> attributes) {
        node(new OnnxNode(opType, OnnxNode.DEFAULT_DOMAIN, java.util.List.of(inputs), java.util.List.of(outputs),
                attributes));
    }

    default void node(String opType, String[] inputs, String[] outputs) {
        node(opType, inputs, outputs, Map.of());
    }

    void node(OnnxNode node);

    /** A name no other value in the graph has, starting with {@code hint}. */
    String fresh(String hint);

    /** A constant tensor (written as an initializer); returns its name. */
    String constant(INDArray value);

    /** An int64 vector constant, for the shape/axes/pads inputs ONNX takes as tensors. */
    String int64s(long... values);
}

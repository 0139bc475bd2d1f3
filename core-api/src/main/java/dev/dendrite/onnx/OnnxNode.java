package dev.dendrite.onnx;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One ONNX node in Dendrite's protobuf-free IR. onnx-bridge turns these into {@code NodeProto}s, so
 * primitives and plugins never depend on protobuf.
 *
 * @param attributes values are {@code Long}, {@code Double}, {@code String}, {@code long[]},
 *     {@code double[]}, {@code String[]} or {@code INDArray} (a tensor attribute)
 */
public record OnnxNode(String opType, String domain, List<String> inputs, List<String> outputs,
        Map<String, Object> attributes) {

    public static final String DEFAULT_DOMAIN = "";

    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Map.copyOf(attributes);
        for (Map.Entry<String, Object> a : attributes.entrySet()) {
            Object v = a.getValue();
            if (!(v instanceof Long || v instanceof Double || v instanceof String || v instanceof long[]
                    || v instanceof double[] || v instanceof String[] || v instanceof INDArray)) {
                throw new IllegalArgumentException(opType + ": attribute '" + a.getKey() + "' has unsupported type "
                        + v.getClass().getName());
            }
        }
    }
}

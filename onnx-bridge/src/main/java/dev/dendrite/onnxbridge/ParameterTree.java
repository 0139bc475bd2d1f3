package dev.dendrite.onnxbridge;

import dev.dendrite.nn.Module;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Holds an imported model's weights under their ONNX names: {@code encoder.0.weight} becomes child
 * {@code encoder}, child {@code 0}, parameter {@code weight}, so the hierarchical names Dendrite reports,
 * checkpoints and exports are the names the file (and the PyTorch state_dict behind it) used.
 */
final class ParameterTree extends Module {
    static final String KIND = "onnx_weights";

    ParameterTree() {
        super(KIND);
    }

    /**
     * Registers {@code value} under {@code dottedName}; returns false (registering nothing) when the name
     * cannot be a path: an empty segment, or a segment already taken by a value of the other kind.
     */
    boolean add(String dottedName, INDArray value, boolean trainable) {
        String[] parts = dottedName.split("\\.", -1);
        ParameterTree node = this;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.group(parts[i]);
            if (node == null) {
                return false;
            }
        }
        String leaf = parts[parts.length - 1];
        if (!node.free(leaf)) {
            return false;
        }
        if (trainable) {
            node.parameter(leaf, value);
        } else {
            node.buffer(leaf, value);
        }
        return true;
    }

    private ParameterTree group(String name) {
        if (name.isEmpty()) {
            return null;
        }
        if (children().get(name) instanceof ParameterTree t) {
            return t;
        }
        if (!free(name)) {
            return null;
        }
        return child(name, new ParameterTree());
    }

    private boolean free(String name) {
        return !name.isEmpty() && !children().containsKey(name) && !ownParameters().contains(name)
                && !ownBuffers().contains(name);
    }

    private java.util.Set<String> ownParameters() {
        return parameters().keySet();
    }

    private java.util.Set<String> ownBuffers() {
        return buffers().keySet();
    }
}

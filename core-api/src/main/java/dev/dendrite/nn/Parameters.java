package dev.dendrite.nn;

import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.Shapes;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A layer's parameters and buffers as one name → array map, and loading such a map back. */
public final class Parameters {
    private Parameters() {}

    /** Parameters and buffers by hierarchical name (buffers are distinct names, e.g. running means). */
    public static Map<String, INDArray> snapshot(Layer layer) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        layer.parameters().forEach((k, v) -> out.put(k, v.data().dup()));
        layer.buffers().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    /** Copies {@code values} into the layer in place; names and shapes must match exactly. */
    public static void load(Layer layer, Map<String, INDArray> values, String source) {
        Map<String, INDArray> targets = new LinkedHashMap<>();
        layer.parameters().forEach((k, v) -> targets.put(k, v.data()));
        targets.putAll(layer.buffers());
        TreeSet<String> missing = new TreeSet<>(targets.keySet());
        missing.removeAll(values.keySet());
        TreeSet<String> extra = new TreeSet<>(values.keySet());
        extra.removeAll(targets.keySet());
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new DendriteException(source + ": parameters do not match the model: missing " + missing
                    + ", unexpected " + extra);
        }
        for (Map.Entry<String, INDArray> e : targets.entrySet()) {
            INDArray v = values.get(e.getKey());
            if (!Arrays.equals(v.shape(), e.getValue().shape())) {
                throw new DendriteException(source + ": parameter '" + e.getKey() + "' has shape "
                        + Shapes.str(v.shape()) + ", the model expects " + Shapes.str(e.getValue().shape()));
            }
        }
        for (Map.Entry<String, INDArray> e : targets.entrySet()) {
            e.getValue().assign(values.get(e.getKey()).castTo(e.getValue().dataType()));
        }
    }

    public static long count(Layer layer) {
        return layer.parameters().values().stream().mapToLong(t -> t.data().length()).sum();
    }
}

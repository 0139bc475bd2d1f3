package dev.dendrite.nn;

import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Base class of layers, after PyTorch's {@code nn.Module}: a layer registers its parameters, buffers and
 * named child layers, and the hierarchical names follow (child {@code "fc"} of {@code "block1"} owns
 * {@code "block1.fc.weight"}). Shape errors raised inside are prefixed with the layer's path and kind.
 */
public abstract class Module implements Layer {
    private final String kind;
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, INDArray> buffers = new LinkedHashMap<>();
    private final Map<String, Layer> children = new LinkedHashMap<>();
    /** Null while this module is a root. */
    private String path;
    private boolean training = true;

    protected Module(String kind) {
        this.kind = kind;
    }

    @Override
    public final String kind() {
        return kind;
    }

    /** The layer's place in the model, e.g. {@code "encoder.0"}; its kind when it is the root. */
    public final String path() {
        return path == null ? kind : path;
    }

    protected final Tensor parameter(String name, INDArray value) {
        checkName(name);
        Tensor t = Tensor.leaf(value);
        params.put(name, t);
        return t;
    }

    protected final INDArray buffer(String name, INDArray value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    protected final <L extends Layer> L child(String name, L layer) {
        checkName(name);
        children.put(name, layer);
        if (layer instanceof Module m) {
            m.attach(path == null ? name : path + "." + name);
        }
        return layer;
    }

    /** Gives this module (and, recursively, its children) its path under a parent. */
    private void attach(String newPath) {
        this.path = newPath;
        children.forEach((name, c) -> {
            if (c instanceof Module m) {
                m.attach(newPath + "." + name);
            }
        });
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".") || params.containsKey(name) || buffers.containsKey(name)
                || children.containsKey(name)) {
            throw new IllegalArgumentException(kind + ": name '" + name + "' is empty, contains '.', or is taken");
        }
    }

    protected final Map<String, Layer> children() {
        return Collections.unmodifiableMap(children);
    }

    @Override
    public final Tensor forward(Tensor... inputs) {
        try {
            return call(inputs);
        } catch (ShapeException e) {
            throw e.inLayer(path(), kind);
        }
    }

    /** Multi-input layers override this; the default expects exactly one input. */
    protected Tensor call(Tensor[] inputs) {
        if (inputs.length != 1) {
            throw new ShapeException("expected 1 input, got " + inputs.length);
        }
        return call(inputs[0]);
    }

    /**
     * The forward pass of a single-input layer. Named apart from {@link #forward} on purpose: callers
     * always go through {@code forward}, which adds the layer's name to shape errors.
     */
    protected Tensor call(Tensor x) {
        throw new UnsupportedOperationException(kind + " overrides neither call(Tensor) nor call(Tensor[])");
    }

    @Override
    public final Map<String, Tensor> parameters() {
        Map<String, Tensor> all = new LinkedHashMap<>(params);
        children.forEach((name, c) -> c.parameters().forEach((k, v) -> all.put(name + "." + k, v)));
        return all;
    }

    @Override
    public final Map<String, INDArray> buffers() {
        Map<String, INDArray> all = new LinkedHashMap<>(buffers);
        children.forEach((name, c) -> c.buffers().forEach((k, v) -> all.put(name + "." + k, v)));
        return all;
    }

    @Override
    public void train(boolean on) {
        training = on;
        children.values().forEach(c -> c.train(on));
    }

    @Override
    public final boolean isTraining() {
        return training;
    }

    @Override
    public String toString() {
        return kind + "(" + path() + ")";
    }
}

package dev.dendrite.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The plain {@link OnnxBuilder}: collects nodes and constants in order; onnx-bridge serialises them. */
public final class OnnxGraph implements OnnxBuilder {
    private final int opset;
    private final List<OnnxNode> nodes = new ArrayList<>();
    private final Map<String, INDArray> constants = new LinkedHashMap<>();
    private int counter;

    public OnnxGraph(int opset) {
        this.opset = opset;
    }

    @Override
    public int opset() {
        return opset;
    }

    @Override
    public void node(OnnxNode node) {
        nodes.add(node);
    }

    @Override
    public String fresh(String hint) {
        return hint + "_" + counter++;
    }

    @Override
    public String constant(INDArray value) {
        String name = fresh("const");
        constants.put(name, value);
        return name;
    }

    @Override
    public String int64s(long... values) {
        return constant(Nd4j.createFromArray(values).castTo(DataType.INT64));
    }

    public List<OnnxNode> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public Map<String, INDArray> constants() {
        return Collections.unmodifiableMap(constants);
    }
}

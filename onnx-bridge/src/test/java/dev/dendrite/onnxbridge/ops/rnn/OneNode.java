package dev.dendrite.onnxbridge.ops.rnn;

import com.google.protobuf.ByteString;
import dev.dendrite.onnx.OnnxTypes;
import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OnnxImporter;
import dev.dendrite.onnxbridge.proto.AttributeProto;
import dev.dendrite.onnxbridge.proto.GraphProto;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.NodeProto;
import dev.dendrite.onnxbridge.proto.OperatorSetIdProto;
import dev.dendrite.onnxbridge.proto.TensorShapeProto;
import dev.dendrite.onnxbridge.proto.TypeProto;
import dev.dendrite.onnxbridge.proto.ValueInfoProto;
import dev.dendrite.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A one-node ONNX model for tests: every present input is a graph input (typed and shaped like the array
 * given for it; null = omitted optional input), every non-empty output name a graph output.
 */
public final class OneNode {
    private OneNode() {}

    /** {@code inputs} are name/array pairs in the node's input order. */
    public static ModelProto model(String opType, int opset, Map<String, Object> attrs, String[] outputs,
            Object... inputs) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName("the_" + opType.toLowerCase());
        GraphProto.Builder g = GraphProto.newBuilder().setName("one_node");
        for (int i = 0; i < inputs.length; i += 2) {
            INDArray a = (INDArray) inputs[i + 1];
            node.addInput(a == null ? "" : (String) inputs[i]);
            if (a != null) {
                g.addInput(value((String) inputs[i], a.dataType(), a.shape()));
            }
        }
        for (String o : outputs) {
            node.addOutput(o);
            if (!o.isEmpty()) {
                g.addOutput(ValueInfoProto.newBuilder().setName(o).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType((int) OnnxTypes.of(
                                firstFloat(inputs))))).build());
            }
        }
        attrs.forEach((k, v) -> node.addAttribute(attribute(k, v)));
        g.addNode(node);
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
    }

    public static ImportedModel load(ModelProto m) {
        return new OnnxImporter().importModel(m, null);
    }

    /** Seeded normal values in [-scale..scale]-ish. */
    public static INDArray normal(long seed, DataType type, double scale, long... shape) {
        Random r = new Random(seed);
        double[] v = new double[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * r.nextGaussian();
        }
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(type);
    }

    /** The present inputs (arrays in the given order) as tensors; leaves where {@code leaves} is true. */
    public static Tensor[] feed(boolean leaves, INDArray... arrays) {
        List<Tensor> out = new ArrayList<>();
        for (INDArray a : arrays) {
            if (a != null) {
                out.add(leaves && a.dataType().isFPType() ? Tensor.leaf(a) : Tensor.of(a));
            }
        }
        return out.toArray(Tensor[]::new);
    }

    private static DataType firstFloat(Object[] inputs) {
        for (int i = 1; i < inputs.length; i += 2) {
            if (inputs[i] instanceof INDArray a && a.dataType().isFPType()) {
                return a.dataType();
            }
        }
        return DataType.FLOAT;
    }

    private static ValueInfoProto value(String name, DataType type, long[] shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : shape) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType((int) OnnxTypes.of(type)).setShape(s))).build();
    }

    private static AttributeProto attribute(String name, Object v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        if (v instanceof Long l) {
            a.setType(AttributeProto.AttributeType.INT).setI(l);
        } else if (v instanceof Integer i) {
            a.setType(AttributeProto.AttributeType.INT).setI(i);
        } else if (v instanceof Double d) {
            a.setType(AttributeProto.AttributeType.FLOAT).setF(d.floatValue());
        } else if (v instanceof String s) {
            a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFrom(s, StandardCharsets.UTF_8));
        } else if (v instanceof double[] ds) {
            a.setType(AttributeProto.AttributeType.FLOATS);
            for (double d : ds) {
                a.addFloats((float) d);
            }
        } else if (v instanceof String[] ss) {
            a.setType(AttributeProto.AttributeType.STRINGS);
            for (String s : ss) {
                a.addStrings(ByteString.copyFrom(s, StandardCharsets.UTF_8));
            }
        } else {
            throw new IllegalArgumentException("attribute " + name + ": " + v);
        }
        return a.build();
    }
}

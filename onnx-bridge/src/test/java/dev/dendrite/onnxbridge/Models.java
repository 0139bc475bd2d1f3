package dev.dendrite.onnxbridge;

import dev.dendrite.onnxbridge.proto.AttributeProto;
import dev.dendrite.onnxbridge.proto.GraphProto;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.NodeProto;
import dev.dendrite.onnxbridge.proto.OperatorSetIdProto;
import dev.dendrite.onnxbridge.proto.TensorShapeProto;
import dev.dendrite.onnxbridge.proto.TypeProto;
import dev.dendrite.onnxbridge.proto.ValueInfoProto;
import java.nio.file.Path;

/** Builders for hand-made ONNX models in tests, and the vendored node-test folder. */
final class Models {
    /** The ONNX project's node tests, vendored (see src/test/conformance/NOTICE). */
    static final Path NODE_TESTS = Path.of("src/test/conformance/onnx-node");

    private Models() {}

    static ValueInfoProto floatInput(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    static NodeProto node(String op, String name, String[] inputs, String[] outputs, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name);
        for (String i : inputs) {
            n.addInput(i);
        }
        for (String o : outputs) {
            n.addOutput(o);
        }
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return n.build();
    }

    static AttributeProto tensorAttr(String name, dev.dendrite.onnxbridge.proto.TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value)
                .build();
    }

    static ModelProto model(GraphProto.Builder g, int opset) {
        return ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
    }
}

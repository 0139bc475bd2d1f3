package dev.dendrite.onnxbridge;

import static dev.dendrite.onnxbridge.Models.floatInput;
import static dev.dendrite.onnxbridge.Models.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnxbridge.proto.AttributeProto;
import dev.dendrite.onnxbridge.proto.FunctionProto;
import dev.dendrite.onnxbridge.proto.GraphProto;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.NodeProto;
import dev.dendrite.onnxbridge.proto.OperatorSetIdProto;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Model-local functions, as PyTorch's dynamo exporter writes them: a Gaussian RBF unit as a function with a
 * float attribute (given by one call, defaulted in the other) and a function that calls it, checked against
 * the formula and against ONNX Runtime, which runs functions natively.
 */
class LocalFunctionsTest {
    private static final OperatorSetIdProto ONNX17 = OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)
            .build();
    private static final OperatorSetIdProto LOCAL = OperatorSetIdProto.newBuilder().setDomain("local").setVersion(1)
            .build();

    private static AttributeProto ref(String name, String refName, AttributeProto.AttributeType type) {
        return AttributeProto.newBuilder().setName(name).setRefAttrName(refName).setType(type).build();
    }

    private static AttributeProto floatAttr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setF(v).setType(AttributeProto.AttributeType.FLOAT).build();
    }

    /** local::Gauss(X, C) = exp(−gamma · Σ_last (X − C)²), gamma an attribute with default 2. */
    private static FunctionProto gauss() {
        return FunctionProto.newBuilder().setDomain("local").setName("Gauss").addInput("X").addInput("C")
                .addOutput("Y").addAttributeProto(floatAttr("gamma", 2f)).addOpsetImport(ONNX17)
                .addNode(node("Sub", "diff", new String[] {"X", "C"}, new String[] {"D"}))
                .addNode(node("Mul", "", new String[] {"D", "D"}, new String[] {"D2"}))
                .addNode(node("Constant", "", new String[0], new String[] {"axes"}, AttributeProto.newBuilder()
                        .setName("value_ints").addInts(-1).setType(AttributeProto.AttributeType.INTS).build()))
                .addNode(node("ReduceSum", "", new String[] {"D2", "axes"}, new String[] {"S"}, AttributeProto
                        .newBuilder().setName("keepdims").setI(0).setType(AttributeProto.AttributeType.INT).build()))
                .addNode(node("Constant", "", new String[0], new String[] {"G"},
                        ref("value_float", "gamma", AttributeProto.AttributeType.FLOAT)))
                .addNode(node("Mul", "", new String[] {"S", "G"}, new String[] {"GS"}))
                .addNode(node("Neg", "", new String[] {"GS"}, new String[] {"N"}))
                .addNode(node("Exp", "", new String[] {"N"}, new String[] {"Y"}))
                .build();
    }

    /** local::Pair(X, C) = Gauss(X, C; gamma 0.5) + Gauss(X, C): a function calling a function, twice. */
    private static FunctionProto pair() {
        return FunctionProto.newBuilder().setDomain("local").setName("Pair").addInput("X").addInput("C")
                .addOutput("Y").addOpsetImport(ONNX17).addOpsetImport(LOCAL)
                .addNode(NodeProto.newBuilder(node("Gauss", "narrow", new String[] {"X", "C"}, new String[] {"A"},
                        floatAttr("gamma", 0.5f))).setDomain("local"))
                .addNode(NodeProto.newBuilder(node("Gauss", "", new String[] {"X", "C"}, new String[] {"B"}))
                        .setDomain("local"))
                .addNode(node("Add", "", new String[] {"A", "B"}, new String[] {"Y"}))
                .build();
    }

    private static ModelProto model(FunctionProto... functions) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("rbf").addInput(floatInput("x", -1, 3))
                .addInitializer(TensorProtos.write("c", Nd4j.createFromArray(0.5f, -1f, 2f)))
                .addNode(NodeProto.newBuilder(node("Pair", "", new String[] {"x", "c"}, new String[] {"y"}))
                        .setDomain("local"))
                .addOutput(floatInput("y", -1));
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(9).setGraph(g).addOpsetImport(ONNX17)
                .addOpsetImport(LOCAL);
        for (FunctionProto f : functions) {
            m.addFunctions(f);
        }
        return m.build();
    }

    @Test
    void callsExpandWithTheirAttributesAndMatchOnnxRuntime() {
        ModelProto m = model(gauss(), pair());
        INDArray x = Nd4j.createFromArray(new float[][] {{0.5f, -1f, 2f}, {1f, 0f, 1f}, {-1f, 2f, 0.5f}});
        ImportedModel imported = new OnnxImporter().importModel(m, null);
        INDArray y = imported.run(Tensor.of(x))[0].data();
        INDArray d2 = x.subRowVector(Nd4j.createFromArray(0.5f, -1f, 2f));
        d2 = d2.mul(d2).sum(1);
        INDArray expected = Transforms.exp(d2.mul(-0.5), true).add(Transforms.exp(d2.mul(-2.0), true));
        Compare.assertClose("functions vs closed form", y, expected, 1e-6);
        try (OrtRunner ort = new OrtRunner(m)) {
            INDArray fromOrt = ort.run(x)[0];
            Compare.assertClose("functions vs ONNX Runtime", y, fromOrt, 1e-6);
        }
        // The centres are an initializer used inside the functions: still a trainable parameter.
        assertEquals(java.util.Set.of("graph.c"), imported.parameters().keySet());
    }

    @Test
    void recursionAndWrongCallsAreErrors() {
        FunctionProto self = FunctionProto.newBuilder().setDomain("local").setName("Pair").addInput("X")
                .addInput("C").addOutput("Y").addOpsetImport(ONNX17).addOpsetImport(LOCAL)
                .addNode(NodeProto.newBuilder(node("Pair", "", new String[] {"X", "C"}, new String[] {"Y"}))
                        .setDomain("local"))
                .build();
        OnnxImportException e = assertThrows(OnnxImportException.class,
                () -> new OnnxImporter().importModel(model(self), null));
        assertTrue(e.getMessage().contains("nests deeper than 32 calls (recursion?)"), e.getMessage());

        FunctionProto leaky = gauss().toBuilder().setNode(0, node("Sub", "diff", new String[] {"X", "outer"},
                new String[] {"D"})).build();
        e = assertThrows(OnnxImportException.class, () -> new OnnxImporter().importModel(model(leaky, pair()), null));
        assertEquals("function 'Gauss': node 'Sub' reads 'outer', which is no input of the function and made by no "
                + "node before it", e.getMessage());

        FunctionProto other = pair().toBuilder().setOpsetImport(0, OperatorSetIdProto.newBuilder().setDomain("")
                .setVersion(18)).build();
        e = assertThrows(OnnxImportException.class, () -> new OnnxImporter().importModel(model(gauss(), other), null));
        assertEquals("function 'Pair' imports ai.onnx opset 18, the model 17", e.getMessage());
    }
}

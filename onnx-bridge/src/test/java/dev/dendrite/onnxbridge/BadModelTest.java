package dev.dendrite.onnxbridge;

import static dev.dendrite.onnxbridge.Models.floatInput;
import static dev.dendrite.onnxbridge.Models.model;
import static dev.dendrite.onnxbridge.Models.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnxbridge.proto.GraphProto;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.StringStringEntryProto;
import dev.dendrite.onnxbridge.proto.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX files come from strangers: every malformed or hostile file is an OnnxImportException naming what is
 * wrong — never a JVM crash, an OutOfMemoryError, a hang, or a read outside the model's folder.
 */
class BadModelTest {
    @TempDir
    Path dir;

    private static void refused(Executable e, String... mentions) {
        OnnxImportException ex = assertThrows(OnnxImportException.class, e);
        for (String m : mentions) {
            assertTrue(ex.getMessage().contains(m), () -> "message must mention '" + m + "': " + ex.getMessage());
        }
    }

    /** x -> Neg -> y with a weight W added: the smallest model with an initializer. */
    private static GraphProto.Builder graph(TensorProto weight) {
        return GraphProto.newBuilder().setName("g").addInput(floatInput("x", 2))
                .addNode(node("Add", "add", new String[] {"x", weight.getName()}, new String[] {"y"}))
                .addInitializer(weight).addOutput(floatInput("y", 2));
    }

    private static TensorProto weight(String name) {
        return TensorProtos.write(name, Nd4j.createFromArray(1f, 2f));
    }

    private ImportedModel load(ModelProto m) throws IOException {
        Path f = dir.resolve("model.onnx");
        Files.write(f, m.toByteArray());
        return new OnnxImporter().load(f);
    }

    @Test
    void missingFileAndFolder() {
        refused(() -> new OnnxImporter().load(dir.resolve("nope.onnx")), "nope.onnx", "no such file");
        refused(() -> new OnnxImporter().load(dir), "is a folder");
    }

    @Test
    void malformedProtobuf() throws IOException {
        Path f = dir.resolve("garbage.onnx");
        byte[] junk = new byte[4096];
        new java.util.Random(1).nextBytes(junk);
        Files.write(f, junk);
        refused(() -> new OnnxImporter().load(f), "garbage.onnx", "not a valid ONNX model");
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] whole = model(graph(weight("w")), 17).toByteArray();
        Path f = dir.resolve("cut.onnx");
        Files.write(f, Arrays.copyOf(whole, whole.length - 7));
        refused(() -> new OnnxImporter().load(f), "cut.onnx", "truncated");
    }

    @Test
    void danglingInputAndMissingInitializer() {
        GraphProto.Builder g = graph(weight("w"));
        g.clearInitializer();
        refused(() -> load(model(g, 17)), "'add'", "reads 'w'");
    }

    @Test
    void cycle() {
        GraphProto.Builder g = GraphProto.newBuilder().addInput(floatInput("x", 2))
                .addNode(node("Add", "a", new String[] {"x", "c"}, new String[] {"b"}))
                .addNode(node("Neg", "n", new String[] {"b"}, new String[] {"c"}))
                .addOutput(floatInput("c", 2));
        refused(() -> load(model(g, 17)), "cycle");
    }

    @Test
    void valueProducedTwice() {
        GraphProto.Builder g = GraphProto.newBuilder().addInput(floatInput("x", 2))
                .addNode(node("Neg", "n1", new String[] {"x"}, new String[] {"y"}))
                .addNode(node("Neg", "n2", new String[] {"x"}, new String[] {"y"}))
                .addOutput(floatInput("y", 2));
        refused(() -> load(model(g, 17)), "'y'", "produced twice");
    }

    @Test
    void unsupportedOpsetsAndIrVersions() {
        refused(() -> load(model(graph(weight("w")), 99)), "opset 99");
        refused(() -> load(model(graph(weight("w")), 1)), "opset 1");
        refused(() -> load(model(graph(weight("w")), 17).toBuilder().setIrVersion(99).build()), "IR version 99");
        ModelProto noGraph = model(graph(weight("w")), 17).toBuilder().clearGraph().build();
        refused(() -> load(noGraph), "no graph");
    }

    @Test
    void unsupportedOpNamesTheNode() {
        GraphProto.Builder g = GraphProto.newBuilder().addInput(floatInput("x", 2))
                .addNode(node("FancyNewOp", "fancy", new String[] {"x"}, new String[] {"y"}))
                .addOutput(floatInput("y", 2));
        refused(() -> load(model(g, 17)), "'fancy'", "FancyNewOp", "not supported");
    }

    @Test
    void absurdShapesAreRefusedBeforeAllocation() {
        TensorProto huge = TensorProto.newBuilder().setName("huge").setDataType(1).addDims(1_000_000).addDims(1_000_000)
                .build();
        refused(() -> load(model(graph(huge), 17)), "'huge'", "more than");
        TensorProto lying = TensorProto.newBuilder().setName("lying").setDataType(1).addDims(1000)
                .setRawData(ByteString.copyFrom(new byte[8])).build();
        refused(() -> load(model(graph(lying), 17)), "'lying'", "raw_data holds 8 bytes");
        TensorProto negative = TensorProto.newBuilder().setName("neg").setDataType(1).addDims(-3).build();
        refused(() -> load(model(graph(negative), 17)), "'neg'", "negative");
        TensorProto strings = TensorProto.newBuilder().setName("s").setDataType(8).addDims(1)
                .addStringData(ByteString.copyFromUtf8("x")).build();
        refused(() -> load(model(graph(strings), 17)), "'s'", "unsupported data type");
    }

    private static TensorProto external(String name, String location, long offset) {
        return TensorProto.newBuilder().setName(name).setDataType(1).addDims(2)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue("" + offset)).build();
    }

    @Test
    void externalDataInsideTheFolderIsRead() throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putFloat(9f).putFloat(3f).putFloat(4f);
        Files.write(dir.resolve("weights.bin"), b.array());
        ImportedModel m = load(model(graph(external("w", "weights.bin", 4)), 17));
        assertArrayEquals(new float[] {3f, 4f}, m.weight("w").data().toFloatVector());
    }

    @Test
    void externalDataOutsideTheFolderIsRefused() throws IOException {
        Path secret = Files.writeString(Files.createTempFile(dir.getParent(), "secret-", ".bin"), "12345678");
        try {
            refused(() -> load(model(graph(external("w", "../" + secret.getFileName(), 0)), 17)), "'w'",
                    "leaves the model's folder");
            refused(() -> load(model(graph(external("w", secret.toString(), 0)), 17)), "'w'", "absolute");
            Path link = dir.resolve("link.bin");
            Files.createSymbolicLink(link, secret);
            refused(() -> load(model(graph(external("w", "link.bin", 0)), 17)), "'w'", "symbolic link");
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    @Test
    void externalDataRangeMustFitTheFile() throws IOException {
        Files.write(dir.resolve("short.bin"), new byte[6]);
        refused(() -> load(model(graph(external("w", "short.bin", 0)), 17)), "'w'", "too few");
        refused(() -> load(model(graph(external("w", "short.bin", 1L << 40)), 17)), "'w'", "too few");
        refused(() -> load(model(graph(external("w", "missing.bin", 0)), 17)), "'w'", "does not exist");
    }

    @Test
    void inputsAreCheckedAgainstTheirDeclaration() throws IOException {
        ImportedModel m = load(model(graph(weight("w")), 17));
        var e = assertThrows(dev.dendrite.tensor.ShapeException.class,
                () -> m.run(dev.dendrite.tensor.Tensor.of(Nd4j.zeros(DataType.FLOAT, 3))));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        var t = assertThrows(dev.dendrite.tensor.ShapeException.class,
                () -> m.run(dev.dendrite.tensor.Tensor.of(Nd4j.zeros(DataType.DOUBLE, 2))));
        assertTrue(t.getMessage().contains("float"), t.getMessage());
    }
}

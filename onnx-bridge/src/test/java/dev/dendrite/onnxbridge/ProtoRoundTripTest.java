package dev.dendrite.onnxbridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.UnknownFieldSet;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.NodeProto;
import dev.dendrite.onnxbridge.proto.TensorProto;
import dev.dendrite.testkit.Compare;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The schema matches the ONNX IR: files written by the ONNX project parse and re-serialise byte for byte. */
class ProtoRoundTripTest {
    @Test
    void everyVendoredModelReserialisesByteForByte() throws IOException {
        List<Path> models;
        try (Stream<Path> s = Files.walk(Models.NODE_TESTS)) {
            models = s.filter(p -> p.getFileName().toString().equals("model.onnx")).toList();
        }
        assertTrue(models.size() > 400, "vendored node tests found: " + models.size());
        for (Path p : models) {
            byte[] original = Files.readAllBytes(p);
            ModelProto m = OnnxFiles.readModel(p);
            assertTrue(m.getGraph().getNodeCount() > 0, p.toString());
            assertArrayEquals(original, m.toByteArray(), p + " changed on a read/write round trip");
        }
    }

    @Test
    void unknownFieldsSurviveAReadWrite() throws IOException {
        // Field 900 of NodeProto and of ModelProto: what a future ONNX version might add.
        NodeProto node = NodeProto.newBuilder().setOpType("Relu").addInput("x").addOutput("y")
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(900,
                        UnknownFieldSet.Field.newBuilder().addVarint(42).build()).build()).build();
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).setGraph(
                dev.dendrite.onnxbridge.proto.GraphProto.newBuilder().addNode(node))
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(901,
                        UnknownFieldSet.Field.newBuilder().addLengthDelimited(
                                com.google.protobuf.ByteString.copyFromUtf8("future")).build()).build()).build();
        ModelProto back = OnnxFiles.readModel(m.toByteArray(), "test");
        assertEquals(42L, back.getGraph().getNode(0).getUnknownFields().getField(900).getVarintList().get(0));
        assertEquals("future", back.getUnknownFields().getField(901).getLengthDelimitedList().get(0).toStringUtf8());
        assertArrayEquals(m.toByteArray(), back.toByteArray());
    }

    @Test
    void tensorsRoundTripInEveryDtypeWeWrite() {
        for (INDArray a : List.of(Nd4j.rand(DataType.FLOAT, 2, 3), Nd4j.rand(DataType.DOUBLE, 4),
                Nd4j.createFromArray(new long[] {-1, 5, 1L << 40}), Nd4j.createFromArray(new int[] {7, -7}),
                Nd4j.createFromArray(true, false, true), Nd4j.scalar(DataType.FLOAT, 2.5f),
                Nd4j.create(DataType.FLOAT, 0, 3))) {
            INDArray back = TensorProtos.read(TensorProtos.write("t", a));
            assertEquals(a.dataType(), back.dataType());
            assertArrayEquals(a.shape(), back.shape());
            Compare.assertBitEqual("round trip of " + a.dataType(), back, a);
        }
    }

    @Test
    void typedFieldsAreReadLikeRawData() {
        TensorProto f = TensorProto.newBuilder().setDataType(1).addDims(2).addFloatData(1.5f).addFloatData(-2f).build();
        assertArrayEquals(new float[] {1.5f, -2f}, TensorProtos.read(f).toFloatVector());
        TensorProto l = TensorProto.newBuilder().setDataType(7).addDims(1).addDims(2).addInt64Data(3).addInt64Data(-4)
                .build();
        assertArrayEquals(new long[] {3, -4}, TensorProtos.read(l).reshape(2).toLongVector());
        TensorProto b = TensorProto.newBuilder().setDataType(9).addDims(2).addInt32Data(1).addInt32Data(0).build();
        Compare.assertBitEqual("bool from int32_data", TensorProtos.read(b), Nd4j.createFromArray(true, false));
    }
}

package dev.dendrite.reference.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.inject.Registries;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.LayerSpec;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.Validation;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.random.Rng;
import dev.dendrite.spi.Json;
import dev.dendrite.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A report's ONNX line compares the trained model itself with ONNX Runtime on the written file. Comparing the file
 * re-imported against ONNX Runtime (as reports did) passes any file, faithful or not: both read the same wrong one.
 */
class OnnxExportTest {
    @TempDir
    Path dir;

    private static Layer mlp(long seed) {
        LayerContext ctx = new LayerContext(DataType.FLOAT, new Rng(seed),
                Registries.discover(OnnxExportTest.class.getClassLoader()).layers());
        return ctx.build(Json.read("""
                {"type": "sequential", "config": {"layers": [
                   {"type": "dense", "config": {"in": 6, "out": 5}}, {"type": "tanh"},
                   {"type": "dense", "config": {"in": 5, "out": 3}}]}}""", LayerSpec.class));
    }

    @Test
    void theAgreementLineComparesTheTrainedModelWithOnnxRuntime() {
        Layer trained = mlp(1);
        ModelProto faithful = OnnxExporter.export(trained, Tensor.of(Nd4j.rand(DataType.FLOAT, 2, 6)));
        // An export that is not the model: the same architecture with other weights.
        ModelProto unfaithful = OnnxExporter.export(mlp(2), Tensor.of(Nd4j.rand(DataType.FLOAT, 2, 6)));
        List<Validation.OutputDiff> ok = OnnxExport.writeAndValidate(trained, faithful, dir.resolve("a.onnx"));
        List<Validation.OutputDiff> wrong = OnnxExport.writeAndValidate(trained, unfaithful, dir.resolve("b.onnx"));
        assertTrue(ok.get(0).ok(), OnnxExport.describe(ok));
        assertFalse(wrong.get(0).ok(), OnnxExport.describe(wrong));
        assertTrue(OnnxExport.describe(wrong).contains("ABOVE"), OnnxExport.describe(wrong));
        // What the old check measured: the unfaithful file against its own import agrees.
        assertTrue(Validation.run(unfaithful, dir, 1).get(0).ok());
    }
}

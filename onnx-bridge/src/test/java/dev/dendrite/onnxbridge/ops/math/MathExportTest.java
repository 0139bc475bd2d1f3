package dev.dendrite.onnxbridge.ops.math;

import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.assertClose;
import static dev.dendrite.onnxbridge.ops.math.MathTestSupport.normal;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.nn.Layer;
import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OnnxImporter;
import dev.dendrite.onnxbridge.OrtAgreement;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The new primitives (CumSum, Erf) export to ONNX that ONNX Runtime agrees with and that imports back. */
class MathExportTest {
    private static Layer layer(UnaryOperator<Tensor> f) {
        return new Layer() {
            @Override
            public Tensor forward(Tensor... inputs) {
                return f.apply(inputs[0]);
            }

            @Override
            public String kind() {
                return "math-test";
            }

            @Override
            public Map<String, Tensor> parameters() {
                return Map.of();
            }

            @Override
            public Map<String, INDArray> buffers() {
                return Map.of();
            }

            @Override
            public void train(boolean training) {}

            @Override
            public boolean isTraining() {
                return false;
            }
        };
    }

    @Test
    void cumSumAndErfAgreeWithOnnxRuntimeAndImportBack() {
        Layer l = layer(x -> Erf.erf(CumSum.cumsum(CumSum.cumsum(x, -1, true, true), 1, false, false)));
        Tensor x = Tensor.of(normal(1, 2, 3, 4).castTo(DataType.FLOAT).muli(0.3));
        double worst = new OrtAgreement().check(l, x);
        assertTrue(worst <= OrtAgreement.TOLERANCE);
        ImportedModel back = new OnnxImporter().importModel(OnnxExporter.export(l, x), null);
        try (var off = GradMode.off()) {
            assertClose(l.forward(x).data(), back.run(x)[0].data(), 1e-6);
        }
    }
}

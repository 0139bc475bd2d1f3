package dev.dendrite.reference.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import dev.dendrite.inject.DendriteModule;
import dev.dendrite.inject.Settings;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Parameters;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.onnxbridge.Validation;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.ops.F;
import dev.dendrite.reference.run.OnnxExport;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The reference models are the papers' architectures: their parameter counts and shapes say so. */
class ReferenceModelsTest {
    private static Layer build(ReferenceModel m) {
        return Guice.createInjector(new DendriteModule(Settings.defaults())).getInstance(LayerContext.class)
                .build(m.spec().model());
    }

    @Test
    void leNet5HasLeCunsLayersAndParameterCount() {
        Layer lenet = build(new LeNet5());
        // conv1 6·25+6, conv2 16·6·25+16, fc 400·120+120, 120·84+84, 84·10+10
        assertEquals(156 + 2416 + 48120 + 10164 + 850, Parameters.count(lenet));
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
                "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"), List.copyOf(lenet.parameters().keySet()));
        assertArrayEquals(new long[] {6, 1, 5, 5}, lenet.parameters().get("conv1.weight").shape());
    }

    @Test
    void theBenchmarkMlpIs784x256x128x100x10() {
        assertEquals(200960 + 32896 + 12900 + 1010, Parameters.count(build(new Mlp())));
    }

    @Test
    void everyReferenceModelMapsFlatImagesToTenLogitsAndTrains() {
        for (ReferenceModel m : ReferenceModels.all()) {
            Layer model = build(m);
            Tensor y = model.forward(Tensor.of(Nd4j.rand(DataType.FLOAT, 3, 784)));
            assertArrayEquals(new long[] {3, 10}, y.shape(), m.name());
            F.sum(y, false).backward();
            model.parameters().forEach((k, p) -> assertArrayEquals(p.shape(), p.grad().shape(), m.name() + " " + k));
        }
    }

    @Test
    void everyReferenceModelExportsAndAgreesWithOnnxRuntime() {
        for (ReferenceModel m : ReferenceModels.all()) {
            Layer model = build(m);
            model.train(false);
            ModelProto proto = OnnxExport.export(model, m.spec(), OnnxExporter.DEFAULT_OPSET);
            // Dendrite's own model against ORT on the exported file, at a batch size other than the example's...
            Tensor x = Tensor.of(Nd4j.rand(DataType.FLOAT, 5, 784));
            INDArray ours;
            try (var off = GradMode.off()) {
                ours = model.forward(x).data();
            }
            try (OrtRunner ort = new OrtRunner(proto)) {
                double d = ours.sub(ort.run(x.data())[0]).amaxNumber().doubleValue();
                assertTrue(d <= 1e-4, m.name() + ": " + d);
            }
            // ...and the file imported back into Dendrite against ORT (what `dendrite validate` checks).
            for (Validation.OutputDiff diff : Validation.run(proto, null, 7)) {
                assertTrue(diff.ok(), m.name() + ": " + diff);
            }
        }
    }
}

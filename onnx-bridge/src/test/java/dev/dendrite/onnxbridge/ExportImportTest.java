package dev.dendrite.onnxbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.io.NpyArchive;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.Parameters;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.TensorProto;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Export any model, run it in ONNX Runtime, import it back as a trainable model, fine-tune, export again. */
class ExportImportTest {
    private static Tensor input(long seed, long batch) {
        return Tensor.of(Init.normal(new Rng(seed), DataType.FLOAT, 0, 1, batch, 4));
    }

    private static INDArray forward(dev.dendrite.nn.Layer m, Tensor x) {
        try (var off = GradMode.off()) {
            return m.forward(x).data();
        }
    }

    @Test
    void weightsAreInitializersUnderHierarchicalNamesAndTheBatchIsSymbolic() {
        ModelProto m = OnnxExporter.export(new TinyNet(new Rng(1)), input(2, 2));
        List<String> names = m.getGraph().getInitializerList().stream().map(TensorProto::getName).toList();
        assertTrue(names.containsAll(List.of("weight", "bias", "head.gamma", "head.beta", "head.out")), names::toString);
        assertEquals("batch", m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals(4, m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
        assertEquals(17, m.getOpsetImport(0).getVersion());
    }

    @Test
    void onnxRuntimeAgreesAtAnyBatchSizeAndBothOpsets() {
        TinyNet net = new TinyNet(new Rng(1));
        for (int opset : new int[] {13, 17}) {
            try (OrtRunner ort = new OrtRunner(OnnxExporter.export(net, opset, input(2, 2)))) {
                for (long batch : new long[] {1, 2, 7}) {
                    Tensor x = input(batch, batch);
                    double d = Compare.maxAbsDiff("opset " + opset + " batch " + batch, forward(net, x),
                            ort.run(x.data())[0]);
                    assertTrue(d <= 1e-5, "opset " + opset + " batch " + batch + ": " + d);
                }
            }
        }
    }

    @Test
    void refusesOpsetsItCannotWrite() {
        var e = assertThrows(DendriteException.class, () -> OnnxExporter.export(new TinyNet(new Rng(1)), 9,
                input(2, 2)));
        assertTrue(e.getMessage().contains("opset 9"), e.getMessage());
    }

    @Test
    void anExportedModelImportsWithTheSameNamesAndOutputs() {
        TinyNet net = new TinyNet(new Rng(1));
        ImportedModel back = new OnnxImporter().importModel(OnnxExporter.export(net, input(2, 2)), null);
        back.train(false);
        assertEquals(net.parameters().keySet(), back.weightNames());
        Tensor x = input(5, 3);
        Compare.assertClose("re-imported model", forward(back, x), forward(net, x), 1e-6);
    }

    @Test
    void anImportedModelFineTunesCheckpointsAndExportsAgain() {
        ImportedModel model = new OnnxImporter().importModel(OnnxExporter.export(new TinyNet(new Rng(1)),
                input(2, 2)), null);
        Tensor x = input(7, 16);
        Tensor target = Tensor.of(Init.normal(new Rng(8), DataType.FLOAT, 0, 1, 16, 3));
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 30; step++) {
            model.parameters().values().forEach(Tensor::zeroGrad);
            Tensor d = F.sub(model.forward(x), target);
            Tensor loss = F.mean(F.mul(d, d), false);
            loss.backward();
            try (var off = GradMode.off()) {
                for (Tensor p : model.parameters().values()) {
                    p.data().subi(p.grad().mul(0.1));
                }
            }
            first = step == 0 ? loss.item() : first;
            last = loss.item();
        }
        assertTrue(last < 0.7 * first, "fine-tuning lowers the loss: " + first + " -> " + last);

        // Checkpoint round trip: the tuned weights, saved as .npy and loaded into a fresh import, give the same model.
        Map<String, INDArray> saved = NpyArchive.read(new java.io.ByteArrayInputStream(
                NpyArchive.toBytes(Parameters.snapshot(model))), "test");
        ImportedModel fresh = new OnnxImporter().importModel(OnnxExporter.export(new TinyNet(new Rng(99)),
                input(2, 2)), null);
        Parameters.load(fresh, saved, "test");
        model.train(false);
        fresh.train(false);
        Compare.assertBitEqual("fresh import with the saved weights", forward(fresh, x), forward(model, x));

        // And the tuned model exports again and agrees with ONNX Runtime.
        try (OrtRunner ort = new OrtRunner(OnnxExporter.export(model, x))) {
            Compare.assertClose("tuned model vs ONNX Runtime", ort.run(x.data())[0], forward(model, x), 1e-5);
        }
    }
}

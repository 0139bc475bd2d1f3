package dev.dendrite.rnn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.io.NpyArchive;
import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OnnxFiles;
import dev.dendrite.onnxbridge.OnnxImporter;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.onnxbridge.TensorProtos;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.tensor.Trace;
import dev.dendrite.testkit.Compare;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch-exported ONNX models of packed, bidirectional, 2-layer LSTM/GRU/RNN (and onnx-bridge's single-layer LSTM
 * and GRU fixtures) imported with onnx-bridge's importer: they run on the fused converters of this plugin (one fused
 * primitive per recurrent node), match PyTorch's outputs, and are trainable: the gradients of the imported weights
 * (PyTorch's names: the export keeps rnn.weight_ih_l0, ...) equal PyTorch's, and an SGD step lowers the loss.
 */
class PyTorchOnnxImportTest {
    static final Path FIXTURES = Path.of("src/test/resources/fixtures");
    static final Path BRIDGE_FIXTURES = Path.of("../../onnx-bridge/src/test/resources/fixtures");

    static Map<String, INDArray> npz(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return NpyArchive.read(in, p.toString());
        }
    }

    static long count(List<Trace.Step> steps, String op) {
        return steps.stream().filter(s -> s.function().getClass().getSimpleName().equals(op)).count();
    }

    @ParameterizedTest
    @CsvSource({"lstm,LstmOp", "gru,GruOp", "rnn_tanh,RnnOp", "rnn_relu,RnnOp"})
    void packedBidirectionalTwoLayerModels(String kind, String op) throws IOException {
        Map<String, INDArray> data = npz(FIXTURES.resolve(kind).resolve("data.npz"));
        ImportedModel model = new OnnxImporter().load(FIXTURES.resolve(kind).resolve("model.onnx"));
        model.train(false);
        boolean lstm = kind.equals("lstm");
        List<Tensor> in = new ArrayList<>(List.of(Tensor.of(data.get("x").castTo(DataType.FLOAT)),
                Tensor.of(data.get("lengths")), Tensor.of(data.get("h0").castTo(DataType.FLOAT))));
        if (lstm) {
            in.add(Tensor.of(data.get("c0").castTo(DataType.FLOAT)));
        }
        Tensor[] inputs = in.toArray(Tensor[]::new);
        String[] outs = lstm ? new String[] {"output", "h_n", "c_n"} : new String[] {"output", "h_n"};
        String[] weights = lstm ? new String[] {"w_out", "w_h", "w_c"} : new String[] {"w_out", "w_h"};
        Tensor[] y;
        Tensor loss;
        try (Trace trace = Trace.start()) {
            y = model.run(inputs);
            assertEquals(2, count(trace.steps(), op), "one fused " + op + " per recurrent node");
        }
        double fwd = 0;
        double ort = 0;
        try (OrtRunner runner = new OrtRunner(OnnxFiles.readModel(FIXTURES.resolve(kind).resolve("model.onnx")))) {
            INDArray[] expected = runner.run(in.stream().map(Tensor::data).toArray(INDArray[]::new));
            for (int i = 0; i < outs.length; i++) {
                fwd = Math.max(fwd, Compare.maxAbsDiff(kind + " " + outs[i], y[i].data(), data.get(outs[i])));
                ort = Math.max(ort, Compare.maxAbsDiff(kind + " " + outs[i] + " (ONNX Runtime)", expected[i],
                        data.get(outs[i])));
            }
        }
        assertTrue(ort <= 1e-5, "ONNX Runtime vs PyTorch on the fixture: " + ort);
        loss = weightedSum(y, data, weights);
        loss.backward();
        double grad = 0;
        double scale = 0;
        for (String name : model.weightNames()) {
            INDArray expected = data.get("grad." + name.substring("rnn.".length()));
            INDArray g = model.weight(name).grad();
            grad = Math.max(grad, Compare.maxAbsDiff(kind + " gradient of " + name, g, expected));
            scale = Math.max(scale, Compare.maxAbs("PyTorch's gradient of " + name, expected));
        }
        double before = loss.item();
        sgdStep(model, 0.05);
        double after;
        try (var off = GradMode.off()) {
            after = weightedSum(model.run(inputs), data, weights).item();
        }
        System.out.println(kind + " ONNX import: outputs vs PyTorch " + fwd + " (ONNX Runtime vs PyTorch " + ort + "), weight gradients vs PyTorch " + grad
                + " (largest " + scale + "), loss " + before + " -> " + after + " after one SGD step");
        assertTrue(fwd <= 1e-5, "outputs " + fwd);
        assertTrue(grad <= 1e-5 * Math.max(1, scale), "gradients " + grad);
        assertTrue(scale > 0 && after < before, "loss " + before + " -> " + after);
    }

    static Tensor weightedSum(Tensor[] y, Map<String, INDArray> data, String[] weights) {
        Tensor loss = null;
        for (int i = 0; i < weights.length; i++) {
            Tensor term = F.sum(F.mul(y[i], Tensor.of(data.get(weights[i]).castTo(DataType.FLOAT))), false);
            loss = loss == null ? term : F.add(loss, term);
        }
        return loss;
    }

    static void sgdStep(ImportedModel model, double lr) {
        for (String name : model.weightNames()) {
            Tensor w = model.weight(name);
            w.data().subi(w.grad().mul(lr));
        }
    }

    /** onnx-bridge's fixtures: LSTM(6, 8) and GRU, batch_first, full sequence -> Linear, MSE loss. */
    @ParameterizedTest
    @CsvSource({"lstm,LstmOp", "gru,GruOp"})
    void onnxBridgeFixturesRunFused(String kind, String op) {
        Path dir = BRIDGE_FIXTURES.resolve(kind);
        ImportedModel model = new OnnxImporter().load(dir.resolve("model.onnx"));
        model.train(false);
        Tensor x = Tensor.leaf(read(dir.resolve("input_0.pb")));
        Tensor y;
        try (Trace trace = Trace.start()) {
            y = model.run(x)[0];
            assertEquals(1, count(trace.steps(), op), "the fused " + op + " ran");
        }
        double fwd = Compare.maxAbsDiff(kind + " output", y.data(), read(dir.resolve("output_0.pb")));
        Tensor diff = F.sub(y, Tensor.of(read(dir.resolve("target.pb"))));
        Tensor loss = F.mean(F.mul(diff, diff), false);
        double lossDiff = Math.abs(loss.item() - read(dir.resolve("loss.pb")).getDouble(0));
        loss.backward();
        double grad = Compare.maxAbsDiff(kind + " input gradient", x.grad(), read(dir.resolve("grad_input_0.pb")));
        for (String name : model.weightNames()) {
            grad = Math.max(grad, Compare.maxAbsDiff(kind + " gradient of " + name, model.weight(name).grad(),
                    read(dir.resolve("grad_" + name + ".pb"))));
        }
        System.out.println("onnx-bridge fixture " + kind + ": outputs " + fwd + ", loss " + lossDiff
                + ", gradients (input and every weight) " + grad);
        assertTrue(fwd <= 1e-5 && lossDiff <= 1e-5 && grad <= 1e-5, fwd + " " + lossDiff + " " + grad);
    }

    static INDArray read(Path p) {
        return TensorProtos.read(OnnxFiles.readTensor(p));
    }
}

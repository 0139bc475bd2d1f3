package dev.dendrite.onnxbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.ops.F;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch-exported sequence models (LSTM/GRU/RNN in many configurations, packed sequences, unrolled cells, an
 * embedding language model, MultiheadAttention, transformer encoder/decoder, a ViT-like model; opsets 13, 14, 17;
 * made by {@code fixtures/sequence/make_sequence_fixtures.py} with torch's default export settings) import with
 * {@link OnnxImporter} and reproduce PyTorch's outputs within 1e-4 on every data set (data set 1, where present,
 * has another batch and/or sequence length than the export: dynamic axes). This module's classpath has no
 * recurrent/attention plugin, so these run on onnx-bridge's composed converters.
 *
 * <p>Fixtures with a {@code grad/} folder are also trained: with loss = sum_i sum(y_i * w_i) the input gradient
 * equals PyTorch's, every imported weight gets a finite gradient, and one SGD step lowers the loss.
 */
class SequenceFixturesTest {
    static final Path DIR = Path.of("src/test/resources/fixtures/sequence");
    static final double TOL = 1e-4;

    static Stream<String> fixtures() {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).map(p -> p.getFileName().toString())
                    .sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<String> trainable() {
        return fixtures().filter(n -> Files.isDirectory(DIR.resolve(n).resolve("grad")));
    }

    static INDArray read(Path p) {
        return TensorProtos.read(OnnxFiles.readTensor(p));
    }

    static List<INDArray> numbered(Path dir, String prefix) {
        List<INDArray> out = new ArrayList<>();
        for (int i = 0; Files.isRegularFile(dir.resolve(prefix + i + ".pb")); i++) {
            out.add(read(dir.resolve(prefix + i + ".pb")));
        }
        return out;
    }

    static List<Path> dataSets(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theBatteryIsComplete() {
        assertEquals(35, fixtures().count(), "fixtures in " + DIR);
        assertTrue(trainable().count() >= 10);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void importsAndMatchesPyTorch(String name) {
        Path dir = DIR.resolve(name);
        ImportedModel model = new OnnxImporter().load(dir.resolve("model.onnx"));
        model.train(false);
        double worst = 0;
        double ort = 0;
        try (OrtRunner runner = new OrtRunner(OnnxFiles.readModel(dir.resolve("model.onnx")), 1)) {
            for (Path set : dataSets(dir)) {
                List<INDArray> in = numbered(set, "input_");
                List<INDArray> expected = numbered(set, "output_");
                Tensor[] y;
                try (var off = GradMode.off()) {
                    y = model.run(in.stream().map(Tensor::of).toArray(Tensor[]::new));
                }
                INDArray[] byOrt = runner.run(in.toArray(INDArray[]::new));
                assertTrue(y.length >= expected.size(), y.length + " outputs, expected " + expected.size());
                for (int i = 0; i < expected.size(); i++) {
                    String what = name + " " + set.getFileName() + " output " + i;
                    worst = Math.max(worst, Compare.maxAbsDiff(what, y[i].data(), expected.get(i)));
                    ort = Math.max(ort, Compare.maxAbsDiff(what + " (ONNX Runtime)", byOrt[i], expected.get(i)));
                }
            }
        }
        System.out.printf("%s: max |dendrite - PyTorch| %.2e, max |ONNX Runtime - PyTorch| %.2e%n", name, worst, ort);
        assertTrue(ort <= TOL, "the fixture itself: ONNX Runtime vs PyTorch " + ort);
        assertTrue(worst <= TOL, name + ": max |dendrite - PyTorch| = " + worst);
    }

    @ParameterizedTest
    @MethodSource("trainable")
    void gradientsMatchPyTorchAndAnSgdStepLowersTheLoss(String name) {
        Path dir = DIR.resolve(name);
        ImportedModel model = new OnnxImporter().load(dir.resolve("model.onnx"));
        model.train(false);
        List<INDArray> in = numbered(dir.resolve("test_data_set_0"), "input_");
        List<INDArray> w = numbered(dir.resolve("grad"), "loss_weight_");
        Tensor[] inputs = new Tensor[in.size()];
        inputs[0] = Tensor.leaf(in.get(0).dup());
        for (int i = 1; i < inputs.length; i++) {
            inputs[i] = Tensor.of(in.get(i));
        }
        Tensor loss = loss(model.run(inputs), w);
        loss.backward();
        double gx = Compare.maxAbsDiff(name + " input gradient", inputs[0].grad(), read(dir.resolve("grad/grad_input_0.pb")));
        assertTrue(gx <= TOL, name + ": input gradient vs PyTorch " + gx);
        double lr = 1e-3;
        for (String weight : model.weightNames()) {
            INDArray g = model.weight(weight).grad();
            assertTrue(g != null, name + ": no gradient for " + weight);
            assertTrue(Double.isFinite(g.sumNumber().doubleValue()), name + ": gradient of " + weight + " not finite");
            model.weight(weight).data().subi(g.mul(lr));
        }
        double before = loss.item();
        double after;
        try (var off = GradMode.off()) {
            after = loss(model.run(inputs), w).item();
        }
        System.out.printf("%s: input gradient vs PyTorch %.2e; %d weights, loss %.5f -> %.5f after one SGD step%n",
                name, gx, model.weightNames().size(), before, after);
        assertTrue(!model.weightNames().isEmpty() && after < before, name + ": loss " + before + " -> " + after);
    }

    static Tensor loss(Tensor[] y, List<INDArray> w) {
        Tensor loss = null;
        for (int i = 0; i < w.size(); i++) {
            Tensor term = F.sum(F.mul(y[i], Tensor.of(w.get(i))), false);
            loss = loss == null ? term : F.add(loss, term);
        }
        return loss;
    }
}

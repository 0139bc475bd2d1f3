package dev.dendrite.rnn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OnnxFiles;
import dev.dendrite.onnxbridge.OnnxImporter;
import dev.dendrite.onnxbridge.TensorProtos;
import dev.dendrite.onnxbridge.ops.rnn.GruConverter;
import dev.dendrite.onnxbridge.ops.rnn.LstmConverter;
import dev.dendrite.onnxbridge.ops.rnn.RnnConverter;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.tensor.Trace;
import dev.dendrite.testkit.Compare;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * onnx-bridge's PyTorch sequence fixtures (fixtures/sequence, made by make_sequence_fixtures.py with torch 1.13's
 * default export) that hold LSTM, GRU or RNN nodes, imported WITH this plugin's fused converters on the classpath:
 * every recurrent node runs as one fused primitive, outputs match PyTorch within 1e-4 on every data set (including
 * the dynamic-axes ones), and on the trainable fixtures the input gradient matches PyTorch's.
 */
class EvaluationFixturesTest {
    static final Path DIR = Path.of("../../onnx-bridge/src/test/resources/fixtures/sequence");
    static final Set<String> RECURRENT = Set.of("LSTM", "GRU", "RNN");
    static final Set<String> FUSED = Set.of("LstmOp", "GruOp", "RnnOp");
    static final double TOL = 1e-4;

    static Stream<String> recurrentFixtures() {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("model.onnx")) && recurrentNodes(p) > 0)
                    .map(p -> p.getFileName().toString()).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long recurrentNodes(Path dir) {
        return OnnxFiles.readModel(dir.resolve("model.onnx")).getGraph().getNodeList().stream()
                .filter(n -> RECURRENT.contains(n.getOpType())).count();
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

    @Test
    void theRecurrentFixturesAreThere() {
        assertTrue(recurrentFixtures().count() >= 20, "recurrent fixtures in " + DIR.toAbsolutePath());
    }

    @ParameterizedTest
    @MethodSource("recurrentFixtures")
    void runsFusedAndMatchesPyTorch(String name) throws IOException {
        Path dir = DIR.resolve(name);
        ImportedModel model = new OnnxImporter().load(dir.resolve("model.onnx"));
        model.train(false);
        long nodes = recurrentNodes(dir);
        double worst = 0;
        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
        for (Path set : sets) {
            List<INDArray> in = numbered(set, "input_");
            List<INDArray> expected = numbered(set, "output_");
            Tensor[] y;
            try (var off = GradMode.off(); Trace trace = Trace.start()) {
                y = model.run(in.stream().map(Tensor::of).toArray(Tensor[]::new));
                long fused = trace.steps().stream()
                        .filter(st -> FUSED.contains(st.function().getClass().getSimpleName())).count();
                assertEquals(nodes, fused, name + ": fused recurrent primitives for " + nodes + " recurrent nodes");
            }
            for (int i = 0; i < expected.size(); i++) {
                worst = Math.max(worst, Compare.maxAbsDiff(name + " output " + i, y[i].data(), expected.get(i)));
            }
        }
        String grad = "";
        if (Files.isDirectory(dir.resolve("grad"))) {
            List<INDArray> in = numbered(dir.resolve("test_data_set_0"), "input_");
            List<INDArray> w = numbered(dir.resolve("grad"), "loss_weight_");
            Tensor[] inputs = new Tensor[in.size()];
            inputs[0] = Tensor.leaf(in.get(0).dup());
            for (int i = 1; i < inputs.length; i++) {
                inputs[i] = Tensor.of(in.get(i));
            }
            Tensor[] y = model.run(inputs);
            Tensor loss = null;
            for (int i = 0; i < w.size(); i++) {
                Tensor term = F.sum(F.mul(y[i], Tensor.of(w.get(i))), false);
                loss = loss == null ? term : F.add(loss, term);
            }
            loss.backward();
            double gx = Compare.maxAbsDiff(name + " grad", inputs[0].grad(),
                    read(dir.resolve("grad/grad_input_0.pb")));
            grad = String.format(", input gradient %.2e", gx);
            assertTrue(gx <= TOL, name + ": input gradient vs PyTorch " + gx);
        }
        System.out.printf("%s (fused, %d recurrent nodes): max |dendrite - PyTorch| %.2e%s%n", name, nodes, worst, grad);
        assertTrue(worst <= TOL, name + ": max |dendrite - PyTorch| = " + worst);
    }

    /**
     * A batch entry of length 0 with a given initial state: ONNX Runtime (and onnx-bridge's composed converter,
     * checked against it in onnx-bridge's ZeroLengthSequenceTest) end it in zero states; the fused converter must
     * agree, in outputs and in the gradients of every input.
     */
    @ParameterizedTest
    @CsvSource({"LSTM,forward", "LSTM,bidirectional", "GRU,reverse", "GRU,bidirectional", "RNN,forward",
        "RNN,bidirectional"})
    void zeroLengthSequenceAgreesWithTheComposedConverter(String type, String direction) {
        int gates = type.equals("LSTM") ? 4 : type.equals("GRU") ? 3 : 1;
        int states = type.equals("LSTM") ? 2 : 1;
        long t = 3;
        long n = 3;
        long in = 2;
        long h = 4;
        long d = direction.equals("bidirectional") ? 2 : 1;
        Map<String, Object> attrs = type.equals("GRU")
                ? Map.of("hidden_size", h, "direction", direction, "linear_before_reset", 1L)
                : Map.of("hidden_size", h, "direction", direction);
        OnnxOp op = new OnnxOp(type, "", "zero_length_" + type.toLowerCase(), 14, attrs, states + 1, false);
        INDArray[] arrays = new INDArray[5 + states];
        arrays[0] = normal(1, t, n, in);
        arrays[1] = normal(2, d, gates * h, in);
        arrays[2] = normal(3, d, gates * h, h);
        arrays[3] = normal(4, d, 2 * gates * h);
        arrays[4] = Nd4j.createFromArray(3, 0, 2);
        for (int s = 0; s < states; s++) {
            arrays[5 + s] = normal(5 + s, d, n, h);
        }
        OnnxConverter fused = type.equals("LSTM") ? new FusedLstmConverter()
                : type.equals("GRU") ? new FusedGruConverter() : new FusedRnnConverter();
        OnnxConverter composed = type.equals("LSTM") ? new LstmConverter()
                : type.equals("GRU") ? new GruConverter() : new RnnConverter();
        boolean[] present = new boolean[arrays.length];
        Arrays.fill(present, true);
        assertTrue(fused.accepts(op, present), "the fused converter takes this form");
        List<INDArray> outs = new ArrayList<>();
        List<INDArray[]> grads = new ArrayList<>();
        INDArray weights = null;
        for (OnnxConverter c : List.of(fused, composed)) {
            Tensor[] leaves = new Tensor[arrays.length];
            for (int i = 0; i < arrays.length; i++) {
                leaves[i] = arrays[i].dataType().isFPType() ? Tensor.leaf(arrays[i].dup()) : Tensor.of(arrays[i]);
            }
            Tensor[] y = c.convert(op, leaves);
            List<Tensor> flat = new ArrayList<>();
            for (Tensor yi : y) {
                flat.add(F.reshape(yi, -1));
            }
            Tensor all = F.concat(0, flat.toArray(Tensor[]::new));
            outs.add(all.data());
            weights = weights == null ? normal(99, all.shape()) : weights;
            F.sum(F.mul(all, Tensor.of(weights)), false).backward();
            INDArray[] g = new INDArray[arrays.length];
            for (int i = 0; i < arrays.length; i++) {
                g[i] = leaves[i].requiresGrad() ? leaves[i].grad() : null;
            }
            grads.add(g);
        }
        double out = Compare.maxAbsDiff(type + " " + direction + " outputs", outs.get(0), outs.get(1));
        double grad = 0;
        for (int i = 0; i < arrays.length; i++) {
            if (grads.get(1)[i] != null) {
                grad = Math.max(grad, Compare.maxAbsDiff(type + " " + direction + " gradient " + i, grads.get(0)[i],
                        grads.get(1)[i]));
            }
        }
        System.out.printf("%s %s, sequence_lens [3, 0, 2]: max |fused - composed| outputs %.2e, gradients %.2e%n",
                type, direction, out, grad);
        assertTrue(out <= 1e-6, type + " " + direction + ": outputs differ from the composed converter by " + out);
        assertTrue(grad <= 1e-6, type + " " + direction + ": gradients differ from the composed converter by " + grad);
    }

    static INDArray normal(long seed, long... shape) {
        Random r = new Random(seed);
        double[] v = new double[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.6 * r.nextGaussian();
        }
        return Nd4j.create(v, shape, DataType.FLOAT);
    }
}

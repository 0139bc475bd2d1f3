package dev.dendrite.rnn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.NodeTestRunner;
import dev.dendrite.onnxbridge.OnnxFiles;
import dev.dendrite.onnxbridge.OnnxImporter;
import dev.dendrite.onnxbridge.TensorProtos;
import dev.dendrite.onnxbridge.ops.rnn.GruConverter;
import dev.dendrite.onnxbridge.ops.rnn.LstmConverter;
import dev.dendrite.onnxbridge.ops.rnn.RnnConverter;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused LSTM/GRU/RNN converters: they claim only the forms their ops cover (others fall back to onnx-bridge's
 * composed converters), agree with the composed converters on outputs and on every gradient (both layouts, every
 * direction, lengths and initial states), and the ONNX backend node tests for these ops still pass.
 */
class FusedConverterTest {
    static final Path NODE_TESTS = Path.of("/work/shared/conformance/onnx-node");

    private static OnnxOp op(String type, Map<String, Object> attrs, int outputs) {
        return new OnnxOp(type, "", "the_" + type.toLowerCase(), 17, attrs, outputs, false);
    }

    private static boolean[] present(int n) {
        boolean[] p = new boolean[n];
        java.util.Arrays.fill(p, 0, 3, true);
        return p;
    }

    @Test
    void acceptsOnlyTheFusedForms() {
        FusedLstmConverter lstm = new FusedLstmConverter();
        assertTrue(lstm.accepts(op("LSTM", Map.of("hidden_size", 3L), 3), present(8)));
        assertTrue(lstm.accepts(op("LSTM", Map.of("layout", 1L, "direction", "bidirectional", "activations",
                new String[] {"Sigmoid", "Tanh", "Tanh", "sigmoid", "tanh", "tanh"}), 3), present(8)));
        boolean[] peepholes = present(8);
        peepholes[7] = true;
        assertFalse(lstm.accepts(op("LSTM", Map.of(), 3), peepholes));
        assertFalse(lstm.accepts(op("LSTM", Map.of("clip", 3.0), 3), present(8)));
        assertFalse(lstm.accepts(op("LSTM", Map.of("input_forget", 1L), 3), present(8)));
        assertFalse(lstm.accepts(op("LSTM", Map.of("activations", new String[] {"HardSigmoid", "Tanh", "Tanh"}), 3),
                present(8)));
        FusedGruConverter gru = new FusedGruConverter();
        assertTrue(gru.accepts(op("GRU", Map.of("linear_before_reset", 1L), 2), present(6)));
        assertFalse(gru.accepts(op("GRU", Map.of(), 2), present(6)));
        assertFalse(gru.accepts(op("GRU", Map.of("linear_before_reset", 1L, "activations",
                new String[] {"Sigmoid", "Relu"}), 2), present(6)));
        FusedRnnConverter rnn = new FusedRnnConverter();
        assertTrue(rnn.accepts(op("RNN", Map.of(), 2), present(6)));
        assertTrue(rnn.accepts(op("RNN", Map.of("activations", new String[] {"Relu", "Relu"},
                "direction", "bidirectional"), 2), present(6)));
        assertFalse(rnn.accepts(op("RNN", Map.of("activations", new String[] {"Tanh", "Relu"},
                "direction", "bidirectional"), 2), present(6)));
        assertFalse(rnn.accepts(op("RNN", Map.of("activations", new String[] {"Sigmoid"}), 2), present(6)));
        assertFalse(rnn.accepts(op("RNN", Map.of("layout", 2L), 2), present(6)));
        for (OnnxConverter c : List.of(lstm, gru, rnn)) {
            assertEquals(10, c.priority());
        }
    }

    @Test
    void badInputNamesTheNode() {
        Tensor[] in = {Tensor.of(normal(1, 1, 4, 2, 3)), Tensor.of(normal(2, 1, 1, 8, 2)), Tensor.of(normal(3, 1, 1, 8, 2)),
            null, null, null, null, null};
        OnnxImportException e = org.junit.jupiter.api.Assertions.assertThrows(OnnxImportException.class,
                () -> new FusedLstmConverter().convert(op("LSTM", Map.of("hidden_size", 2L), 2), in));
        assertEquals("node 'the_lstm' (LSTM, opset 17): lstm: expected W [1, 8, 3], got shape [1, 8, 2]",
                e.getMessage());
    }

    static INDArray normal(long seed, double scale, long... shape) {
        Random r = new Random(seed);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * r.nextGaussian();
        }
        return Nd4j.create(v, shape, DataType.DOUBLE);
    }

    /** One node through the fused and the composed converter: same outputs, same gradients of every input. */
    @ParameterizedTest
    @CsvSource({"LSTM,forward,0,false,false", "LSTM,reverse,0,true,true", "LSTM,bidirectional,1,true,true",
        "LSTM,bidirectional,0,true,false", "GRU,forward,0,true,true", "GRU,bidirectional,1,true,true",
        "GRU,reverse,1,false,false", "RNN,bidirectional,1,true,true", "RNN,reverse,0,true,false"})
    void agreesWithTheComposedConverter(String type, String direction, long layout, boolean lens, boolean init) {
        int gates = type.equals("LSTM") ? 4 : type.equals("GRU") ? 3 : 1;
        int states = type.equals("LSTM") ? 2 : 1;
        long t = 4;
        long n = 3;
        long in = 3;
        long h = 2;
        long d = direction.equals("bidirectional") ? 2 : 1;
        Map<String, Object> attrs = new HashMap<>(Map.of("hidden_size", h, "direction", direction, "layout", layout));
        if (type.equals("GRU")) {
            attrs.put("linear_before_reset", 1L);
        }
        if (type.equals("RNN") && !direction.equals("reverse")) {
            attrs.put("activations", d == 2 ? new String[] {"Relu", "Relu"} : new String[] {"Relu"});
        }
        OnnxOp op = op(type, attrs, states + 1);
        INDArray[] arrays = new INDArray[5 + states];
        arrays[0] = layout == 1 ? normal(1, 1, n, t, in) : normal(1, 1, t, n, in);
        arrays[1] = normal(2, 0.5, d, gates * h, in);
        arrays[2] = normal(3, 0.5, d, gates * h, h);
        arrays[3] = normal(4, 0.5, d, 2 * gates * h);
        arrays[4] = lens ? Nd4j.createFromArray(4, 1, 3) : null;
        for (int s = 0; s < states; s++) {
            arrays[5 + s] = !init ? null : layout == 1 ? normal(5 + s, 0.5, n, d, h) : normal(5 + s, 0.5, d, n, h);
        }
        OnnxConverter fused = type.equals("LSTM") ? new FusedLstmConverter()
                : type.equals("GRU") ? new FusedGruConverter() : new FusedRnnConverter();
        OnnxConverter composed = type.equals("LSTM") ? new LstmConverter()
                : type.equals("GRU") ? new GruConverter() : new RnnConverter();
        boolean[] present = new boolean[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            present[i] = arrays[i] != null;
        }
        assertTrue(fused.accepts(op, present));
        List<INDArray[]> grads = new ArrayList<>();
        List<INDArray> outs = new ArrayList<>();
        for (OnnxConverter c : List.of(fused, composed)) {
            Tensor[] leaves = new Tensor[arrays.length];
            for (int i = 0; i < arrays.length; i++) {
                leaves[i] = arrays[i] == null ? null
                        : arrays[i].dataType().isFPType() ? Tensor.leaf(arrays[i].dup()) : Tensor.of(arrays[i]);
            }
            Set<String> ran = Primitives.of(() -> {
                Tensor[] y = c.convert(op, leaves);
                List<Tensor> flat = new ArrayList<>();
                for (Tensor yi : y) {
                    flat.add(F.reshape(yi, -1));
                }
                Tensor all = F.concat(0, flat.toArray(Tensor[]::new));
                outs.add(all.data());
                F.sum(F.mul(all, Tensor.of(normal(99, 1, all.shape()))), false).backward();
                return null;
            });
            if (c == fused) {
                assertTrue(ran.contains(type.equals("LSTM") ? "LstmOp" : type.equals("GRU") ? "GruOp" : "RnnOp"),
                        "fused op ran: " + ran);
            }
            INDArray[] g = new INDArray[arrays.length];
            for (int i = 0; i < arrays.length; i++) {
                g[i] = leaves[i] != null && leaves[i].requiresGrad() ? leaves[i].grad() : null;
            }
            grads.add(g);
        }
        String what = type + " " + direction + " layout " + layout;
        double worst = Compare.maxAbsDiff(what + " outputs", outs.get(0), outs.get(1));
        for (int i = 0; i < arrays.length; i++) {
            if (grads.get(0)[i] != null) {
                worst = Math.max(worst, Compare.maxAbsDiff(what + " gradient " + i, grads.get(0)[i], grads.get(1)[i]));
            }
        }
        System.out.println(type + " " + direction + " layout " + layout + " lens=" + lens + " init=" + init
                + ": max |fused - composed| over outputs and gradients = " + worst);
        assertTrue(worst < 1e-12, "max diff " + worst);
    }

    /** The ONNX backend node tests of LSTM, GRU and RNN pass with the fused converters installed. */
    @ParameterizedTest
    @CsvSource({"test_lstm_defaults,LstmOp", "test_lstm_with_initial_bias,LstmOp",
        "test_lstm_with_peepholes,composed", "test_simple_rnn_with_initial_bias,RnnOp",
        "test_gru_defaults,composed", "test_gru_seq_length,composed", "test_gru_with_initial_bias,composed",
        "test_gru_batchwise,composed"})
    void onnxNodeTests(String name, String expected) throws Exception {
        Path dir = NODE_TESTS.resolve(name);
        NodeTestRunner.Outcome outcome = new NodeTestRunner(new OnnxImporter()).run(dir);
        assertTrue(outcome.passed(), name + ": " + outcome.reason());
        ImportedModel model = new OnnxImporter().load(dir.resolve("model.onnx"));
        List<Tensor> inputs = new ArrayList<>();
        Path set = dir.resolve("test_data_set_0");
        for (int i = 0; Files.isRegularFile(set.resolve("input_" + i + ".pb")); i++) {
            inputs.add(Tensor.of(TensorProtos.read(OnnxFiles.readTensor(set.resolve("input_" + i + ".pb")))));
        }
        Set<String> ran;
        try (var off = GradMode.off()) {
            ran = Primitives.of(() -> model.run(inputs.toArray(Tensor[]::new)));
        }
        boolean fused = ran.contains("LstmOp") || ran.contains("GruOp") || ran.contains("RnnOp");
        if (expected.equals("composed")) {
            assertFalse(fused, name + " falls back to the composed converter, ran " + ran);
        } else {
            assertTrue(ran.contains(expected), name + " runs " + expected + ", ran " + ran);
        }
        System.out.println(name + ": passed (" + (outcome.loose() ? "loose" : "strict") + "), ran "
                + (fused ? expected : "the composed converter"));
    }
}

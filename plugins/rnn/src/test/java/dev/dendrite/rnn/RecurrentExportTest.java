package dev.dendrite.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.nn.Init;
import dev.dendrite.nn.Module;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The full form {@code run(x, lengths, h0, c0)} of a 2-layer bidirectional batch-first layer exports (one ONNX
 * LSTM/GRU/RNN node per layer, lengths and initial states as graph inputs) and agrees with ONNX Runtime in float32 on
 * output, h_n and c_n, with sequences of different lengths.
 */
class RecurrentExportTest {
    /** x, lengths, h0 (, c0) in; output, h_n (, c_n) flattened into one vector out. */
    static final class FullForm extends Module {
        private final Recurrent rnn;

        FullForm(Recurrent rnn) {
            super("full_form");
            this.rnn = child("rnn", rnn);
        }

        @Override
        protected Tensor call(Tensor[] in) {
            RecurrentOutput out = rnn.run(in[0], in[1], in[2], in.length > 3 ? in[3] : null);
            List<Tensor> parts = new ArrayList<>(List.of(F.reshape(out.output(), -1), F.reshape(out.hidden(), -1)));
            if (out.cell() != null) {
                parts.add(F.reshape(out.cell(), -1));
            }
            return F.concat(0, parts.toArray(Tensor[]::new));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn_tanh", "rnn_relu"})
    void fullFormAgreesWithOnnxRuntime(String kind) {
        Recurrent layer = PyTorchAgreementTest.layer(kind, DataType.FLOAT);
        FullForm m = new FullForm(layer);
        m.train(false);
        Rng rng = new Rng(3);
        List<Tensor> in = new ArrayList<>(List.of(
                Tensor.of(Init.normal(rng, DataType.FLOAT, 0, 1, 3, 5, 3)),
                Tensor.of(Nd4j.createFromArray(5L, 2L, 4L)),
                Tensor.of(Init.normal(rng, DataType.FLOAT, 0, 0.5, 4, 3, 4))));
        if (kind.equals("lstm")) {
            in.add(Tensor.of(Init.normal(rng, DataType.FLOAT, 0, 0.5, 4, 3, 4)));
        }
        Tensor[] x = in.toArray(Tensor[]::new);
        INDArray ours;
        try (var off = GradMode.off()) {
            ours = m.forward(x).data();
        }
        ModelProto model = OnnxExporter.export(m, x);
        String op = kind.equals("lstm") ? "LSTM" : kind.equals("gru") ? "GRU" : "RNN";
        assertEquals(2, model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).count());
        INDArray theirs;
        try (OrtRunner ort = new OrtRunner(model)) {
            theirs = ort.run(in.stream().map(Tensor::data).toArray(INDArray[]::new))[0];
        }
        double diff = Compare.maxAbsDiff(kind + " vs ONNX Runtime", ours, theirs);
        System.out.println(kind + " full form (lengths, h0" + (kind.equals("lstm") ? ", c0" : "")
                + ") vs ONNX Runtime: " + diff);
        assertTrue(diff <= 1e-5, "max abs diff " + diff);
    }
}

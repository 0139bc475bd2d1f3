package dev.dendrite.rnn.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.nn.Module;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fused LSTM exported as one ONNX {@code LSTM} node (weights as initializers; X, sequence_lens and the initial
 * states as graph inputs) agrees with ONNX Runtime in float32 on Y, Y_h and Y_c, for every direction with and
 * without lengths (int64 lengths go through a Cast to ONNX's int32) and initial states.
 */
class LstmOpOrtTest {
    /** W, R, B as parameters; forward returns Y, Y_h, Y_c flattened into one vector. */
    static final class OneLstm extends Module {
        private final Direction d;
        private final boolean lens;
        private final boolean init;
        private final Tensor w;
        private final Tensor r;
        private final Tensor b;

        OneLstm(Direction d, boolean lens, boolean init, INDArray[] weights) {
            super("one_lstm");
            this.d = d;
            this.lens = lens;
            this.init = init;
            w = parameter("W", weights[1]);
            r = parameter("R", weights[2]);
            b = parameter("B", weights[3]);
        }

        @Override
        protected Tensor call(Tensor[] in) {
            List<Tensor> args = new ArrayList<>(List.of(in[0], w, r, b));
            for (int i = 1; i < in.length; i++) {
                args.add(in[i]);
            }
            Tensor[] out = new LstmOp(d, LstmOpTest.H, lens, init).apply(args.toArray(Tensor[]::new));
            return F.concat(0, F.reshape(out[0], -1), F.reshape(out[1], -1), F.reshape(out[2], -1));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.dendrite.rnn.ops.LstmOpTest#cases")
    void agreesWithOnnxRuntime(Direction d, boolean lens, boolean init) {
        check(d, lens, init, LstmOpTest.inputs(d, lens, init, DataType.FLOAT));
    }

    /** A sequence of length 0: ONNX Runtime gives zeros for its Y, Y_h and Y_c (not the initial state). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Direction.class)
    void emptySequence(Direction d) {
        INDArray[] all = LstmOpTest.inputs(d, true, true, DataType.FLOAT);
        all[4] = org.nd4j.linalg.factory.Nd4j.createFromArray(4, 0, 2);
        check(d, true, true, all);
    }

    private static void check(Direction d, boolean lens, boolean init, INDArray[] all) {
        OneLstm m = new OneLstm(d, lens, init, all);
        List<Tensor> feed = new ArrayList<>(List.of(Tensor.of(all[0])));
        for (int i = 4; i < all.length; i++) {
            feed.add(Tensor.of(i == 4 && lens ? all[i].castTo(DataType.INT64) : all[i]));
        }
        Tensor[] x = feed.toArray(Tensor[]::new);
        INDArray ours;
        try (var off = GradMode.off()) {
            ours = m.forward(x).data();
        }
        ModelProto model = OnnxExporter.export(m, x);
        long lstmNodes = model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("LSTM")).count();
        assertTrue(lstmNodes == 1, "one LSTM node, got " + model.getGraph().getNodeList());
        INDArray theirs;
        try (OrtRunner ort = new OrtRunner(model)) {
            theirs = ort.run(feed.stream().map(Tensor::data).toArray(INDArray[]::new))[0];
        }
        double diff = Compare.maxAbsDiff("lstm " + d + " vs ONNX Runtime", ours, theirs);
        System.out.println("lstm " + d + " lens=" + lens + " init=" + init + " max|ours - ORT| = " + diff);
        assertTrue(diff <= 1e-5, "max abs diff vs ONNX Runtime " + diff);
    }
}

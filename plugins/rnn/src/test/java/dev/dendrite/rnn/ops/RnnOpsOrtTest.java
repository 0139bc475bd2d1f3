package dev.dendrite.rnn.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.nn.Module;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.NodeProto;
import dev.dendrite.rnn.ops.RnnOpsGradientTest.Kind;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each op exported as one ONNX node (weights as initializers; X, sequence_lens, initial_h as graph inputs) and run
 * in ONNX Runtime: Y and Y_h agree in float32 within 1e-5, with ragged lengths (including 0) in int32 and int64,
 * with and without initial_h, in every direction.
 */
class RnnOpsOrtTest {
    static final double TOLERANCE = 1e-5;
    static final long T = 6;
    static final long N = 4;
    static final long I = 5;
    static final long H = 7;

    enum Variant { LENGTHS_INT32_AND_INITIAL, LENGTHS_INT64, INITIAL_ONLY, NEITHER }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Kind k : Kind.values()) {
            for (Direction d : Direction.values()) {
                for (Variant v : Variant.values()) {
                    all.add(Arguments.of(k, d, v));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void agreesWithOnnxRuntime(Kind kind, Direction dir, Variant variant) {
        long d = dir.count();
        long gh = kind.gates * H;
        INDArray w = RnnOpsGradientTest.normal(DataType.FLOAT, 21, 0.4, d, gh, I);
        INDArray r = RnnOpsGradientTest.normal(DataType.FLOAT, 22, 0.4, d, gh, H);
        INDArray b = RnnOpsGradientTest.normal(DataType.FLOAT, 23, 0.3, d, 2 * gh);
        boolean lengths = variant == Variant.LENGTHS_INT32_AND_INITIAL || variant == Variant.LENGTHS_INT64;
        boolean initial = variant == Variant.LENGTHS_INT32_AND_INITIAL || variant == Variant.INITIAL_ONLY;
        List<INDArray> feed = new ArrayList<>();
        feed.add(RnnOpsGradientTest.normal(DataType.FLOAT, 24, 1.0, T, N, I));
        if (lengths) {
            long[] lens = {T, 1, 0, T - 2};
            feed.add(variant == Variant.LENGTHS_INT64 ? Nd4j.createFromArray(lens)
                    : Nd4j.createFromArray(lens).castTo(DataType.INT));
        }
        if (initial) {
            feed.add(RnnOpsGradientTest.normal(DataType.FLOAT, 25, 0.5, d, N, H));
        }
        INDArray[] inputs = feed.toArray(INDArray[]::new);
        for (int output = 0; output < 2; output++) {
            Module m = new OneNode(kind, dir, lengths, initial, w, r, b, output);
            Tensor[] example = feed.stream().map(Tensor::of).toArray(Tensor[]::new);
            ModelProto model = OnnxExporter.export(m, example);
            List<String> ops = model.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
            String node = kind == Kind.GRU ? "GRU" : "RNN";
            assertEquals(variant == Variant.LENGTHS_INT64 ? List.of("Cast", node) : List.of(node), ops);
            INDArray expected;
            try (var off = GradMode.off()) {
                expected = m.forward(example).data();
            }
            INDArray actual;
            try (OrtRunner ort = new OrtRunner(model)) {
                actual = ort.run(inputs)[0];
            }
            double diff = Compare.maxAbsDiff(kind + " " + dir + " " + variant + " output " + output, actual, expected);
            assertTrue(diff <= TOLERANCE, kind + " " + dir + " " + variant + ": output " + output
                    + " differs from ONNX Runtime by " + diff);
        }
    }

    /** One recurrent op with constant weights; returns Y (output 0) or Y_h (output 1). */
    static final class OneNode extends Module {
        private final Kind kind;
        private final Direction dir;
        private final boolean lengths;
        private final boolean initial;
        private final Tensor w;
        private final Tensor r;
        private final Tensor b;
        private final int output;

        OneNode(Kind kind, Direction dir, boolean lengths, boolean initial, INDArray w, INDArray r, INDArray b,
                int output) {
            super("one_" + kind);
            this.kind = kind;
            this.dir = dir;
            this.lengths = lengths;
            this.initial = initial;
            this.w = parameter("W", w);
            this.r = parameter("R", r);
            this.b = parameter("B", b);
            this.output = output;
        }

        @Override
        protected Tensor call(Tensor[] in) {
            List<Tensor> args = new ArrayList<>(List.of(in[0], w, r, b));
            for (int i = 1; i < in.length; i++) {
                args.add(in[i]);
            }
            return kind.op(dir, H, lengths, initial).apply(args.toArray(Tensor[]::new))[output];
        }
    }
}

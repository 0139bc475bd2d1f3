package dev.dendrite.rnn.ops;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.ops.F;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.GradCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float64 finite differences of Y and Y_h (together) with respect to X, W, R, B and initial_h, for GRU and RNN
 * (tanh, relu) in every direction, with full-length, ragged (including a length-0 sequence) and no sequence_lens.
 */
class RnnOpsGradientTest {
    static final long T = 5;
    static final long N = 3;
    static final long I = 2;
    static final long H = 3;

    enum Kind {
        GRU(3), RNN_TANH(1), RNN_RELU(1);

        final int gates;

        Kind(int gates) {
            this.gates = gates;
        }

        Function op(Direction d, long hidden, boolean lengths, boolean initial) {
            return switch (this) {
                case GRU -> new GruOp(d, hidden, lengths, initial);
                case RNN_TANH -> new RnnOp(d, hidden, "Tanh", lengths, initial);
                case RNN_RELU -> new RnnOp(d, hidden, "Relu", lengths, initial);
            };
        }
    }

    static INDArray normal(DataType type, long seed, double scale, long... shape) {
        Random r = new Random(seed);
        double[] v = new double[(int) dev.dendrite.tensor.Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * r.nextGaussian();
        }
        return Nd4j.createFromArray(v).castTo(type).reshape('c', shape);
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        long[][] lengths = {null, {T, 1, T - 2}, {0, T, 2}};
        for (Kind k : Kind.values()) {
            for (Direction d : Direction.values()) {
                for (long[] l : lengths) {
                    all.add(Arguments.of(k, d, l));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} lengths {2}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Kind kind, Direction dir, long[] lengths) {
        long d = dir.count();
        long gh = kind.gates * H;
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("X", Tensor.leaf(normal(DataType.DOUBLE, 1, 1.0, T, N, I)));
        leaves.put("W", Tensor.leaf(normal(DataType.DOUBLE, 2, 0.6, d, gh, I)));
        leaves.put("R", Tensor.leaf(normal(DataType.DOUBLE, 3, 0.6, d, gh, H)));
        leaves.put("B", Tensor.leaf(normal(DataType.DOUBLE, 4, 0.5, d, 2 * gh)));
        leaves.put("h0", Tensor.leaf(normal(DataType.DOUBLE, 5, 0.5, d, N, H)));
        Tensor lens = lengths == null ? null : Tensor.of(Nd4j.createFromArray(lengths));
        GradCheck.Result r = GradCheck.check(kind + " " + dir, leaves, () -> {
            List<Tensor> in = new ArrayList<>(List.of(leaves.get("X"), leaves.get("W"), leaves.get("R"),
                    leaves.get("B")));
            if (lens != null) {
                in.add(lens);
            }
            in.add(leaves.get("h0"));
            Tensor[] out = kind.op(dir, H, lens != null, true).apply(in.toArray(Tensor[]::new));
            return both(out);
        });
        assertTrue(r.worst() <= GradCheck.TOLERANCE, r.toString());
    }

    /** Without initial_h the state starts at 0; B that needs no gradient gets none. */
    @Test
    void gruWithoutInitialStateAndConstantBias() {
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("X", Tensor.leaf(normal(DataType.DOUBLE, 11, 1.0, T, N, I)));
        leaves.put("W", Tensor.leaf(normal(DataType.DOUBLE, 12, 0.6, 2, 3 * H, I)));
        leaves.put("R", Tensor.leaf(normal(DataType.DOUBLE, 13, 0.6, 2, 3 * H, H)));
        Tensor b = Tensor.of(normal(DataType.DOUBLE, 14, 0.5, 2, 6 * H));
        Tensor lens = Tensor.of(Nd4j.createFromArray(new int[] {2, (int) T, 1}));
        GradCheck.check("gru without h0", leaves, () -> both(new GruOp(Direction.BIDIRECTIONAL, H, true, false)
                .apply(leaves.get("X"), leaves.get("W"), leaves.get("R"), b, lens)));
        assertNull(b.grad());
    }

    /** Y and Y_h flattened into one vector, so one check covers both outputs. */
    static Tensor both(Tensor[] out) {
        return F.concat(0, F.reshape(out[0], -1), F.reshape(out[1], -1));
    }
}

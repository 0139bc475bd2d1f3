package dev.dendrite.rnn.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.onnxbridge.ops.rnn.LstmConverter;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.testkit.GradCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused LSTM against finite differences (float64, every input) and against onnx-bridge's LSTM composed
 * from primitives (the ONNX semantics, itself checked against ONNX Runtime), for every direction with and
 * without sequence lengths and initial states.
 */
class LstmOpTest {
    static final long T = 4;
    static final long N = 3;
    static final long I = 3;
    static final long H = 2;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Direction d : Direction.values()) {
            for (boolean lens : new boolean[] {false, true}) {
                for (boolean init : new boolean[] {false, true}) {
                    out.add(Arguments.of(d, lens, init));
                }
            }
        }
        return out;
    }

    static INDArray normal(long seed, DataType type, double scale, long... shape) {
        Random r = new Random(seed);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * r.nextGaussian();
        }
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(type);
    }

    /** X, W, R, B, [lens], [h0, c0] as arrays; lengths 4, 1, 3 (so padded steps exist in both directions). */
    static INDArray[] inputs(Direction d, boolean lens, boolean init, DataType type) {
        long dirs = d.count();
        List<INDArray> in = new ArrayList<>(List.of(normal(1, type, 1, T, N, I), normal(2, type, 0.5, dirs, 4 * H, I),
                normal(3, type, 0.5, dirs, 4 * H, H), normal(4, type, 0.5, dirs, 8 * H)));
        if (lens) {
            in.add(Nd4j.createFromArray(4, 1, 3));
        }
        if (init) {
            in.add(normal(5, type, 0.5, dirs, N, H));
            in.add(normal(6, type, 0.5, dirs, N, H));
        }
        return in.toArray(INDArray[]::new);
    }

    static Tensor[] leaves(INDArray[] arrays) {
        Tensor[] t = new Tensor[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            t[i] = arrays[i].dataType().isFPType() ? Tensor.leaf(arrays[i]) : Tensor.of(arrays[i]);
        }
        return t;
    }

    static Tensor[] composed(Direction d, boolean lens, boolean init, Tensor[] in) {
        Tensor[] full = new Tensor[7];
        System.arraycopy(in, 0, full, 0, 4);
        int k = 4;
        if (lens) {
            full[4] = Tensor.of(in[k++].data().castTo(DataType.INT32));
        }
        if (init) {
            full[5] = in[k];
            full[6] = in[k + 1];
        }
        OnnxOp op = new OnnxOp("LSTM", "", "ref", 17, Map.of("direction", d.onnx(), "hidden_size", H), 3, false);
        return new LstmConverter().convert(op, full);
    }

    static Tensor flat(Tensor[] outs) {
        return F.concat(0, F.reshape(outs[0], -1), F.reshape(outs[1], -1), F.reshape(outs[2], -1));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesComposedLstm(Direction d, boolean lens, boolean init) {
        Tensor[] in = leaves(inputs(d, lens, init, DataType.DOUBLE));
        Tensor fused = flat(new LstmOp(d, H, lens, init).apply(in));
        Tensor ref = flat(composed(d, lens, init, in));
        double diff = Compare.maxAbsDiff("fused vs composed", fused.data(), ref.data());
        System.out.println("lstm " + d + " lens=" + lens + " init=" + init + " max|fused - composed| = " + diff);
        assertTrue(diff < 1e-12, "max diff " + diff);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Direction d, boolean lens, boolean init) {
        INDArray[] arrays = inputs(d, lens, init, DataType.DOUBLE);
        Tensor[] in = leaves(arrays);
        String[] names = {"X", "W", "R", "B", "lens", "h0", "c0"};
        Map<String, Tensor> ls = new LinkedHashMap<>();
        for (int i = 0; i < in.length; i++) {
            String name = i < 4 || lens ? names[i] : names[i + 1];
            if (in[i].requiresGrad()) {
                ls.put(name, in[i]);
            }
        }
        GradCheck.Result r = GradCheck.check("lstm " + d, ls, () -> flat(new LstmOp(d, H, lens, init).apply(in)));
        System.out.println("lstm " + d + " lens=" + lens + " init=" + init + " grad errors " + r.maxError());
        assertTrue(r.worst() < GradCheck.TOLERANCE, r.toString());
    }
}

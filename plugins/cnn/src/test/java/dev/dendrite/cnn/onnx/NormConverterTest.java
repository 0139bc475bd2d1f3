package dev.dendrite.cnn.onnx;

import static dev.dendrite.cnn.onnx.Naive.op;
import static dev.dendrite.cnn.onnx.Naive.values;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.testkit.GradCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** BatchNormalization (inference, batch statistics, running-statistics state) and InstanceNormalization. */
class NormConverterTest {
    private static final NormConverter CONVERTER = new NormConverter();

    private static void assertClose(INDArray expected, INDArray actual, double tol) {
        Compare.assertClose("converter output", actual, expected, tol);
    }

    private static INDArray channel(INDArray v, int rank) {
        long[] s = new long[rank];
        java.util.Arrays.fill(s, 1);
        s[1] = v.length();
        return v.reshape(s);
    }

    /** (x − mean)/√(var + ε)·scale + B per channel, broadcasting by hand. */
    private static INDArray normalise(INDArray x, INDArray mean, INDArray var, INDArray scale, INDArray bias,
            double eps) {
        int r = x.rank();
        INDArray centred = x.sub(channel(mean, r).broadcast(x.shape()));
        INDArray rstd = Transforms.pow(var.add(eps), -0.5, true);
        return centred.mul(channel(rstd.mul(scale), r).broadcast(x.shape())).add(channel(bias, r).broadcast(x.shape()));
    }

    @Test
    void onlyTheRunningStatisticsAreState() {
        assertTrue(CONVERTER.isState("BatchNormalization", 3));
        assertTrue(CONVERTER.isState("BatchNormalization", 4));
        for (int i : new int[] {0, 1, 2}) {
            assertFalse(CONVERTER.isState("BatchNormalization", i));
        }
        assertFalse(CONVERTER.isState("InstanceNormalization", 1));
    }

    @Test
    void inferenceUsesTheRunningStatistics() {
        INDArray x = values(1, 2, 3, 4, 5);
        INDArray scale = values(2, 3);
        INDArray bias = values(3, 3);
        INDArray mean = values(4, 3);
        INDArray var = Transforms.abs(values(5, 3)).addi(0.5);
        Tensor y = CONVERTER.convert(op("BatchNormalization", 15, Map.of("epsilon", 1e-3)), new Tensor[] {
            Tensor.of(x), Tensor.of(scale), Tensor.of(bias), Tensor.of(mean), Tensor.of(var)})[0];
        assertClose(normalise(x, mean, var, scale, bias, 1e-3), y.data(), 1e-10);
    }

    @Test
    void trainingModeNormalisesWithTheBatchAndReturnsTheNewRunningStatistics() {
        INDArray x = values(6, 4, 2, 3);
        INDArray scale = values(7, 2);
        INDArray bias = values(8, 2);
        INDArray mean = values(9, 2);
        INDArray var = Transforms.abs(values(10, 2)).addi(0.5);
        INDArray meanBefore = mean.dup();
        OnnxOp op = op("BatchNormalization", 15, Map.of("training_mode", 1L, "momentum", 0.8), 3, false);
        Tensor[] out = CONVERTER.convert(op, new Tensor[] {Tensor.of(x), Tensor.of(scale), Tensor.of(bias),
            Tensor.of(mean), Tensor.of(var)});
        INDArray batchMean = x.mean(0, 2);
        INDArray batchVar = x.var(false, 0, 2);
        assertClose(normalise(x, batchMean, batchVar, scale, bias, 1e-5), out[0].data(), 1e-10);
        assertClose(mean.mul(0.8).add(batchMean.mul(0.2)), out[1].data(), 1e-12);
        assertClose(var.mul(0.8).add(batchVar.mul(0.2)), out[2].data(), 1e-12);
        Compare.assertBitEqual("a node in inference leaves its inputs alone", mean, meanBefore);
    }

    @Test
    void aTrainingModelUpdatesItsRunningStatisticsInPlace() {
        INDArray x = values(11, 5, 3, 2);
        INDArray mean = Nd4j.zeros(DataType.DOUBLE, 3);
        INDArray var = Nd4j.ones(DataType.DOUBLE, 3);
        OnnxOp op = op("BatchNormalization", 15, Map.of(), 1, true);
        Tensor[] in = {Tensor.of(x), Tensor.of(Nd4j.ones(DataType.DOUBLE, 3)),
            Tensor.of(Nd4j.zeros(DataType.DOUBLE, 3)), Tensor.of(mean), Tensor.of(var)};
        Tensor y = CONVERTER.convert(op, in)[0];
        INDArray batchMean = x.mean(0, 2);
        INDArray batchVar = x.var(false, 0, 2);
        assertClose(normalise(x, batchMean, batchVar, Nd4j.ones(DataType.DOUBLE, 3), Nd4j.zeros(DataType.DOUBLE, 3),
                1e-5), y.data(), 1e-10);
        assertClose(batchMean.mul(0.1), mean, 1e-12);
        assertClose(batchVar.mul(0.1).add(0.9), var, 1e-12);
    }

    @Test
    void batchNormGradientsInBothModes() {
        Tensor x = Naive.leaf(12, 3, 2, 2, 3);
        Tensor scale = Naive.leaf(13, 2);
        Tensor bias = Naive.leaf(14, 2);
        Tensor mean = Tensor.of(values(15, 2));
        Tensor var = Tensor.of(Transforms.abs(values(16, 2)).addi(0.5));
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("x", x);
        leaves.put("scale", scale);
        leaves.put("bias", bias);
        OnnxOp eval = op("BatchNormalization", 15, Map.of());
        GradCheck.check("batch norm eval", leaves, () -> CONVERTER.convert(eval, new Tensor[] {x, scale, bias, mean,
            var})[0]);
        // With the statistics bound to leaves too (how a gradient run treats state).
        Tensor meanLeaf = Naive.leaf(17, 2);
        Tensor varLeaf = Tensor.leaf(Transforms.abs(values(18, 2)).addi(0.5));
        Map<String, Tensor> all = new LinkedHashMap<>(leaves);
        all.put("mean", meanLeaf);
        all.put("var", varLeaf);
        GradCheck.check("batch norm eval, statistics too", all, () -> CONVERTER.convert(eval, new Tensor[] {x, scale,
            bias, meanLeaf, varLeaf})[0]);
        INDArray composed = CONVERTER.convert(eval, new Tensor[] {x, scale, bias, meanLeaf, varLeaf})[0].data();
        INDArray nativeY = CONVERTER.convert(eval, new Tensor[] {x, scale, bias, Tensor.of(meanLeaf.data()),
            Tensor.of(varLeaf.data())})[0].data();
        assertClose(nativeY, composed, 1e-12);
        OnnxOp batch = op("BatchNormalization", 15, Map.of("training_mode", 1L), 3, false);
        GradCheck.check("batch norm batch statistics", leaves, () -> CONVERTER.convert(batch,
                new Tensor[] {x, scale, bias, mean, var})[0]);
    }

    @Test
    void instanceNormNormalisesEachSampleAndChannel() {
        INDArray x = values(17, 2, 3, 4, 5);
        INDArray scale = values(18, 3);
        INDArray bias = values(19, 3);
        Tensor y = CONVERTER.convert(op("InstanceNormalization", 22, Map.of("epsilon", 0.01)),
                new Tensor[] {Tensor.of(x), Tensor.of(scale), Tensor.of(bias)})[0];
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 2, 3, 4, 5);
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                INDArray plane = x.slice(n).slice(c);
                double m = plane.meanNumber().doubleValue();
                double v = plane.var(false).getDouble(0);
                expected.slice(n).slice(c).assign(plane.sub(m).mul(scale.getDouble(c) / Math.sqrt(v + 0.01))
                        .add(bias.getDouble(c)));
            }
        }
        assertClose(expected, y.data(), 1e-10);
        Tensor xl = Naive.leaf(20, 2, 2, 3, 1, 2);
        Tensor sl = Naive.leaf(21, 2);
        Tensor bl = Naive.leaf(22, 2);
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("x", xl);
        leaves.put("scale", sl);
        leaves.put("bias", bl);
        OnnxOp op = op("InstanceNormalization", 22, Map.of());
        GradCheck.check("instance norm 3-D", leaves, () -> CONVERTER.convert(op, new Tensor[] {xl, sl, bl})[0]);
    }

    @Test
    void badNormalisationsAreRefusedNamingTheNode() {
        Tensor x = Tensor.of(values(23, 2, 3, 4));
        Tensor v3 = Tensor.of(Nd4j.ones(DataType.DOUBLE, 3));
        Tensor v2 = Tensor.of(Nd4j.ones(DataType.DOUBLE, 2));
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> CONVERTER.convert(
                op("BatchNormalization", 15, Map.of()), new Tensor[] {x, v3, v3, v2, v3}));
        assertTrue(e.getMessage().contains("my_batchnormalization"), e.getMessage());
        assertThrows(OnnxImportException.class, () -> CONVERTER.convert(op("BatchNormalization", 15,
                Map.of("epsilon", -1.0)), new Tensor[] {x, v3, v3, v3, v3}));
        assertThrows(OnnxImportException.class, () -> CONVERTER.convert(op("BatchNormalization", 15,
                Map.of("momentum", 2.0)), new Tensor[] {x, v3, v3, v3, v3}));
        assertThrows(OnnxImportException.class, () -> CONVERTER.convert(op("BatchNormalization", 7,
                Map.of("spatial", 0L)), new Tensor[] {x, v3, v3, v3, v3}));
        assertThrows(OnnxImportException.class, () -> CONVERTER.convert(op("BatchNormalization", 15, Map.of()),
                new Tensor[] {x, v3, v3, v3, null}));
        assertThrows(OnnxImportException.class, () -> CONVERTER.convert(op("BatchNormalization", 15,
                Map.of("training_mode", 1L), 3, false), new Tensor[] {Tensor.of(values(1, 1, 3)), v3, v3, v3, v3}));
        assertThrows(OnnxImportException.class, () -> CONVERTER.convert(op("InstanceNormalization", 22, Map.of()),
                new Tensor[] {x, v2, v3}));
        assertThrows(OnnxImportException.class, () -> CONVERTER.convert(op("InstanceNormalization", 22, Map.of()),
                new Tensor[] {Tensor.of(values(1, 2, 3)), v3, v3}));
    }
}

package dev.dendrite.cnn.layers;

import static dev.dendrite.cnn.TestArrays.array;
import static dev.dendrite.cnn.TestArrays.assertValues;
import static dev.dendrite.cnn.TestArrays.normal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.inject.Registries;
import dev.dendrite.io.NpyArchive;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Parameters;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.testkit.GradCheck;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalisation against PyTorch 1.13 ({@code nn.BatchNorm2d/1d}, float64): training-mode output, the
 * running statistics after one step, evaluation-mode output; the evaluation-mode gradient (the conformance kit
 * checks training mode); running statistics as checkpointed buffers.
 */
class BatchNormTest {
    private static LayerContext context(DataType type) {
        return new LayerContext(type, new Rng(1), Registries.discover(BatchNormTest.class.getClassLoader()).layers());
    }

    private static double tol(DataType t) {
        return t == DataType.DOUBLE ? 1e-9 : 1e-5;
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void batchNorm2dTrainingStepThenEvaluation(String dtype) {
        DataType t = DataType.valueOf(dtype);
        BatchNorm2d bn = new BatchNorm2d(BatchNorm.Config.of(2), context(t));
        bn.parameters().get("weight").data().assign(array(t, new double[] {2, 0.5}, 2));
        bn.parameters().get("bias").data().assign(array(t, new double[] {1, -1}, 2));
        Tensor x = Tensor.of(array(t, new double[] {1, 2, 3, 4, -1, 0, 1, 6, 2, 2, 0, 8, 5, -3, 4, 4}, 2, 2, 2, 2));
        long[] shape = {2, 2, 2, 2};
        assertValues(shape, new double[] {-0.5366981587, 0.3414150748, 1.2195283084, 2.0976415419, -1.4999997222,
            -1.3333331481, -1.1666665741, -0.3333337037, 0.3414150748, 0.3414150748, -1.4148113922, 5.6100944761,
            -0.5000002778, -1.8333328704, -0.6666668519, -0.6666668519}, bn.forward(x).data(), tol(t) + 1e-9);
        // running = 0.9·initial + 0.1·batch, the variance unbiased (n = 8 per channel).
        assertValues(new long[] {2}, new double[] {0.275, 0.2}, bn.buffers().get("running_mean"), tol(t));
        assertValues(new long[] {2}, new double[] {1.4928571429, 1.9285714286}, bn.buffers().get("running_var"),
                tol(t) + 1e-9);
        bn.train(false);
        assertValues(shape, new double[] {2.1867450323, 3.8236347321, 5.4605244318, 7.0974141316, -1.4320482598,
            -1.0720080433, -0.7119678268, 1.0882332556, 3.8236347321, 3.8236347321, 0.5498553326, 13.6449729305,
            0.7281930391, -2.1521286927, 0.3681528226, 0.3681528226}, bn.forward(x).data(), tol(t) * 10 + 1e-9);
        assertValues(new long[] {2}, new double[] {0.275, 0.2}, bn.buffers().get("running_mean"), tol(t));
    }

    @Test
    void batchNorm1dWithMomentum() {
        BatchNorm1d bn = new BatchNorm1d(new BatchNorm.Config(3, 1e-5, 0.2, true), context(DataType.DOUBLE));
        Tensor x = Tensor.of(array(DataType.DOUBLE, new double[] {1, 2, 3, 4, 0, -3, 2, 2, 9}, 3, 3));
        assertValues(new long[] {3, 3}, new double[] {-1.0690415315, 0.7071028037, 0, 1.3363019143, -1.4142056075,
            -1.2247446162, -0.2672603829, 0.7071028037, 1.2247446162}, bn.forward(x).data(), 1e-9);
        assertValues(new long[] {3}, new double[] {0.4666666667, 0.2666666667, 0.6}, bn.buffers().get("running_mean"),
                1e-9);
        assertValues(new long[] {3}, new double[] {1.2666666667, 1.0666666667, 8.0}, bn.buffers().get("running_var"),
                1e-9);
    }

    @Test
    void noGradScopeStillUpdatesRunningStatisticsInTrainingMode() {
        BatchNorm2d bn = new BatchNorm2d(BatchNorm.Config.of(3), context(DataType.DOUBLE));
        try (var off = GradMode.off()) {
            bn.forward(Tensor.of(normal(DataType.DOUBLE, 5, 4, 3, 2, 2).addi(3)));
        }
        INDArray mean = bn.buffers().get("running_mean");
        Compare.assertFinite("running_mean", mean); // minNumber() would skip a NaN
        assertTrue(mean.minNumber().doubleValue() > 0.1, "PyTorch updates them too");
    }

    /** Evaluation mode with nonzero running statistics: dx = g·γ/√(σ² + ε), an affine map. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void evaluationModeGradientsAgreeWithFiniteDifferences(boolean affine) {
        for (Layer bn : List.<Layer>of(new BatchNorm2d(new BatchNorm.Config(3, 1e-3, 0.1, affine), context(DataType.DOUBLE)),
                new BatchNorm1d(new BatchNorm.Config(3, 1e-3, 0.1, affine), context(DataType.DOUBLE)))) {
            bn.buffers().get("running_mean").assign(array(DataType.DOUBLE, new double[] {0.5, -1.2, 2.0}, 3));
            bn.buffers().get("running_var").assign(array(DataType.DOUBLE, new double[] {0.3, 2.5, 1.7}, 3));
            if (affine) {
                bn.parameters().get("weight").data().assign(array(DataType.DOUBLE, new double[] {1.5, -0.7, 0.2}, 3));
                bn.parameters().get("bias").data().assign(array(DataType.DOUBLE, new double[] {0.1, 0.3, -2}, 3));
            }
            bn.train(false);
            Tensor x = Tensor.leaf(normal(DataType.DOUBLE, 9, bn instanceof BatchNorm2d ? new long[] {3, 3, 2, 2}
                    : new long[] {4, 3, 5}));
            Map<String, Tensor> leaves = new LinkedHashMap<>();
            leaves.put("input", x);
            leaves.putAll(bn.parameters());
            GradCheck.Result r = GradCheck.check(bn.kind() + " eval", leaves, () -> bn.forward(x));
            assertTrue(r.worst() <= 1e-6, r.toString());
            assertEquals(affine ? 3 : 1, r.maxError().size());
        }
    }

    @Test
    void runningStatisticsAreCheckpointedBuffers() {
        BatchNorm2d a = new BatchNorm2d(BatchNorm.Config.of(3), context(DataType.DOUBLE));
        a.forward(Tensor.of(normal(DataType.DOUBLE, 3, 4, 3, 2, 2).muli(2).addi(1)));
        Map<String, INDArray> saved = Parameters.snapshot(a);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var"), List.copyOf(saved.keySet()));
        BatchNorm2d b = new BatchNorm2d(BatchNorm.Config.of(3), context(DataType.DOUBLE));
        Parameters.load(b, NpyArchive.read(new ByteArrayInputStream(NpyArchive.toBytes(saved)), "test"), "test");
        assertEquals(a.buffers().keySet(), b.buffers().keySet());
        a.buffers().forEach((k, v) -> Compare.assertBitEqual(k, b.buffers().get(k), v));
        a.train(false);
        b.train(false);
        Tensor x = Tensor.of(normal(DataType.DOUBLE, 4, 2, 3, 2, 2));
        Compare.assertBitEqual("forward after loading", b.forward(x).data(), a.forward(x).data());
    }
}

package dev.dendrite.ops;

import static dev.dendrite.ops.TestTensors.assertShape;
import static dev.dendrite.ops.TestTensors.assertValues;
import static dev.dendrite.ops.TestTensors.assertGradientsMatch;
import static dev.dendrite.ops.TestTensors.leaf;
import static dev.dendrite.ops.TestTensors.leafOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** layerNorm, dropout and cast: gradient checks plus the forward facts each one promises. */
class NormDropoutCastTest {

    @Test
    void layerNormOverTheLastAxisWithBeta() {
        Tensor x = leaf(121, 2, 3, 4);
        Tensor gamma = leaf(122, 4);
        Tensor beta = leaf(123, 4);
        assertGradientsMatch("layerNorm -1 beta", Map.of("x", x, "gamma", gamma, "beta", beta),
                () -> F.layerNorm(x, gamma, beta, -1, 1e-5));
    }

    @Test
    void layerNormOverTheLastAxisWithoutBeta() {
        Tensor x = leaf(124, 2, 3, 4);
        Tensor gamma = leaf(125, 4);
        assertGradientsMatch("layerNorm -1", Map.of("x", x, "gamma", gamma), () -> F.layerNorm(x, gamma, null, -1, 1e-5));
    }

    @Test
    void layerNormFromAxisOneOfARankThreeInput() {
        Tensor x = leaf(126, 2, 3, 4);
        Tensor gamma = leaf(127, 3, 4);
        Tensor beta = leaf(128, 3, 4);
        assertGradientsMatch("layerNorm 1 beta", Map.of("x", x, "gamma", gamma, "beta", beta),
                () -> F.layerNorm(x, gamma, beta, 1, 1e-5));
        assertGradientsMatch("layerNorm 1", Map.of("x", x, "gamma", gamma), () -> F.layerNorm(x, gamma, null, 1, 1e-5));
    }

    @Test
    void layerNormOverAllAxes() {
        Tensor x = leaf(129, 3, 4);
        Tensor gamma = leaf(130, 3, 4);
        assertGradientsMatch("layerNorm 0", Map.of("x", x, "gamma", gamma), () -> F.layerNorm(x, gamma, null, 0, 1e-5));
    }

    @Test
    void layerNormOutputHasZeroMeanAndUnitVariancePerRow() {
        Tensor x = Tensor.of(leaf(131, 4, 8).data().mul(3).add(5));
        Tensor ones = Tensor.of(Nd4j.ones(DataType.DOUBLE, 8));
        INDArray y = F.layerNorm(x, ones, null, -1, 1e-12).data();
        for (int r = 0; r < 4; r++) {
            INDArray row = y.getRow(r);
            assertEquals(0.0, row.meanNumber().doubleValue(), 1e-12);
            assertEquals(1.0, row.mul(row).meanNumber().doubleValue(), 1e-9);
        }
    }

    @Test
    void dropoutWithAFixedSeedIsDeterministicAndGradChecks() {
        Tensor x = leaf(132, 3, 5);
        Compare.assertBitEqual("dropout, same seed", F.dropout(x, 0.4, 77).data(), F.dropout(x, 0.4, 77).data());
        assertGradientsMatch("dropout", Map.of("x", x), () -> F.dropout(x, 0.4, 77));
    }

    @Test
    void dropoutZeroesOrScalesEachElement() {
        Tensor x = Tensor.of(Nd4j.ones(DataType.DOUBLE, 2000));
        INDArray y = F.dropout(x, 0.25, 5).data();
        long kept = 0;
        for (int i = 0; i < y.length(); i++) {
            double v = y.getDouble(i);
            assertTrue(v == 0.0 || Math.abs(v - 1 / 0.75) < 1e-12, "value " + v);
            kept += v == 0.0 ? 0 : 1;
        }
        // 1500 expected; a binomial with sd ~19 is far inside 1400..1600.
        assertTrue(kept > 1400 && kept < 1600, "kept " + kept);
        assertTrue(Compare.maxAbsDiff("dropout, another seed", F.dropout(x, 0.25, 6).data(), y) > 0,
                "another seed, another mask");
    }

    @Test
    void dropoutWithPZeroIsTheIdentity() {
        Tensor x = leaf(133, 2, 3);
        Compare.assertBitEqual("dropout p = 0", F.dropout(x, 0.0, 1).data(), x.data());
    }

    @Test
    void castToFloat32AndBackRoundsTheValuesAndPassesTheGradient() {
        Tensor x = leafOf(new double[] {0.1, 1.0 / 3, -2.5}, 3);
        Tensor f = F.cast(x, DataType.FLOAT);
        assertEquals(DataType.FLOAT, f.dtype());
        assertTrue(f.requiresGrad());
        Tensor y = F.cast(f, DataType.DOUBLE);
        assertEquals(DataType.DOUBLE, y.dtype());
        assertValues(y, 0, 0.10000000149011612, 0.3333333432674408, -2.5);
        F.sum(F.mul(y, TestTensors.vector(2, -3, 0.5)), false).backward();
        assertEquals(DataType.DOUBLE, x.grad().dataType());
        assertValues(Tensor.of(x.grad()), 0, 2, -3, 0.5);
    }

    @Test
    void castToTheSameTypeGradChecks() {
        Tensor x = leaf(134, 2, 3);
        assertGradientsMatch("cast double->double", Map.of("x", x), () -> F.tanh(F.cast(x, DataType.DOUBLE)));
    }

    @Test
    void castToAnIntegerTypeCutsTheGraph() {
        Tensor x = leafOf(new double[] {1.7, -2.2}, 2);
        Tensor i = F.cast(x, DataType.INT32);
        assertFalse(i.requiresGrad());
        assertEquals(DataType.INT32, i.dtype());
        assertValues(i, 0, 1, -2);
        Tensor back = F.cast(i, DataType.DOUBLE);
        assertFalse(back.requiresGrad());
        assertShape(back, 2);
    }
}

package dev.dendrite.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The cached native contexts must not carry one call's inputs or arguments into the next. */
class KernelsTest {

    private static INDArray matmul(INDArray a, INDArray b) {
        INDArray out = Kernels.empty(DataType.DOUBLE, a.size(0), b.size(1));
        Kernels.exec("matmul", new INDArray[] {a, b}, new INDArray[] {out}, new long[] {0, 0}, null, null);
        return out;
    }

    @Test
    void anOpWithoutScalarArgumentsIgnoresThePreviousOpsOnes() {
        INDArray x = Nd4j.createFromArray(-1.0, 1.0);
        Kernels.exec("elu", new INDArray[] {x}, new INDArray[] {Kernels.empty(DataType.DOUBLE, 2)}, null,
                new double[] {0.5}, null);
        // libnd4j's matmul reads tArg 0 as alpha: a stale 0.5 would halve the product.
        INDArray y = matmul(Nd4j.createFromArray(new double[][] {{1, 2}}),
                Nd4j.createFromArray(new double[][] {{3}, {4}}));
        assertArrayEquals(new double[] {11}, y.reshape(1).toDoubleVector());
    }

    @Test
    void anOpWithFewerInputsDoesNotSeeThePreviousOpsExtraInput() {
        INDArray ref = Nd4j.zeros(DataType.DOUBLE, 3, 2);
        INDArray idx = Nd4j.createFromArray(0L, 2L);
        INDArray upd = Nd4j.ones(DataType.DOUBLE, 2, 2);
        Kernels.exec("scatter_add", new INDArray[] {ref, idx, upd}, new INDArray[] {ref}, null, null,
                new boolean[] {true});
        assertArrayEquals(new double[] {1, 1, 0, 0, 1, 1}, ref.reshape(6).toDoubleVector());
        // gather reads a third input as its indices if one is there.
        INDArray src = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}});
        INDArray out = Kernels.empty(DataType.DOUBLE, 2, 1);
        Kernels.exec("gather", out, new long[] {1}, src, Nd4j.createFromArray(2L));
        assertArrayEquals(new double[] {3, 6}, out.reshape(2).toDoubleVector());
    }

    @Test
    void sameOpWithDifferentArgumentCounts() {
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}});
        INDArray last = Kernels.empty(DataType.DOUBLE, 2, 2);
        Kernels.exec("softmax", last, new long[] {0}, x);
        INDArray byDefault = Kernels.empty(DataType.DOUBLE, 2, 2);
        // Without an iArg softmax uses the last axis, not the previous call's axis 0.
        Kernels.exec("softmax", byDefault, x);
        double e = Math.exp(1);
        assertArrayEquals(new double[] {1 / (1 + e), e / (1 + e)}, byDefault.getRow(0).toDoubleVector(), 1e-12);
    }

    @Test
    void noCallLeavesItsArraysAttachedToTheCachedContext() {
        // A reused native context keeps every buffer set on it until purged: 1.3 GB leaked per 5,000
        // [256, 256] adds before this was fixed.
        matmul(Nd4j.ones(DataType.DOUBLE, 2, 2), Nd4j.ones(DataType.DOUBLE, 2, 2));
        Kernels.exec("add", Kernels.empty(DataType.DOUBLE, 2), Nd4j.ones(DataType.DOUBLE, 2),
                Nd4j.ones(DataType.DOUBLE, 2));
        org.junit.jupiter.api.Assertions.assertEquals(0, Kernels.retainedArrays());
    }
}

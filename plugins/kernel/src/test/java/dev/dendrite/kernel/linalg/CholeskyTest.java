package dev.dendrite.kernel.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.nn.Init;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.testkit.Compare;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CholeskyTest {

    /** A random SPD matrix AᵀA + n·I of size n. */
    private static INDArray spd(int n, long seed) {
        INDArray a = Init.normal(new Rng(seed), DataType.DOUBLE, 0, 1, n, n);
        return a.transpose().mmul(a).addi(Nd4j.eye(n).castTo(DataType.DOUBLE).muli(n));
    }

    @Test
    void solvesAcrossBlockBoundaries() {
        // 1, 128 (one full block), 300 (two full blocks and a partial one).
        for (int n : new int[] {1, 128, 300}) {
            INDArray a = spd(n, n);
            INDArray x = Init.normal(new Rng(5), DataType.DOUBLE, 0, 1, n, 3);
            INDArray solved = Cholesky.factor(a).solve(a.mmul(x));
            double err = solved.sub(x).norm2Number().doubleValue() / x.norm2Number().doubleValue();
            assertTrue(err < 1e-10, "n=" + n + ": relative error " + err);
        }
    }

    @Test
    void readsOnlyTheLowerTriangle() {
        INDArray a = spd(20, 1);
        INDArray upperGarbage = a.dup();
        for (int i = 0; i < 20; i++) {
            for (int j = i + 1; j < 20; j++) {
                upperGarbage.putScalar(i, j, 1e6);
            }
        }
        INDArray b = Nd4j.ones(DataType.DOUBLE, 20, 1);
        Compare.assertBitEqual("solution", Cholesky.factor(upperGarbage).solve(b), Cholesky.factor(a).solve(b));
    }

    @Test
    void refusesWhatItCannotFactor() {
        INDArray indefinite = Nd4j.createFromArray(new double[][] {{1, 2}, {2, 1}});
        assertTrue(assertThrows(DendriteException.class, () -> Cholesky.factor(indefinite)).getMessage()
                .startsWith("cholesky: the matrix is not positive definite"));
        INDArray nan = Nd4j.createFromArray(new double[][] {{1, 0}, {Double.NaN, 1}});
        assertEquals("cholesky: the matrix has NaN entries",
                assertThrows(DendriteException.class, () -> Cholesky.factor(nan)).getMessage());
        assertEquals("cholesky: expected a square matrix, got [2, 3]",
                assertThrows(DendriteException.class, () -> Cholesky.factor(Nd4j.ones(2, 3))).getMessage());
        assertEquals("cholesky: right-hand side must be [2, k], got [3, 1]",
                assertThrows(DendriteException.class,
                        () -> Cholesky.factor(Nd4j.eye(2)).solve(Nd4j.ones(3, 1))).getMessage());
    }
}

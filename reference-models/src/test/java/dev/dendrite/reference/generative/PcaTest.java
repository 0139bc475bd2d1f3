package dev.dendrite.reference.generative;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.nn.Init;
import dev.dendrite.random.Rng;
import dev.dendrite.testkit.Compare;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class PcaTest {
    /** 400 rows, 12 columns of very different spread, shifted off the origin, so the order of components is clear. */
    private static INDArray data() {
        INDArray x = Init.normal(new Rng(7), DataType.FLOAT, 0, 1, 400, 12);
        INDArray scales = Nd4j.createFromArray(new float[] {5, 4, 3.5f, 3, 2.5f, 2, 1.5f, 1.2f, 1, 0.7f, 0.4f, 0.1f});
        return x.mulRowVector(scales).addi(0.5);
    }

    @Test
    void trainingErrorIsTheDiscardedVariance() {
        INDArray x = data();
        Pca pca = Pca.fit(x, Pca.Method.COVARIANCE);
        for (int k : new int[] {1, 3, 8, 11}) {
            double mse = Pca.mse(pca.reconstruct(x, k), x);
            assertEquals(pca.discardedVariancePerElement(k), mse, 1e-5 * (1 + mse), "k = " + k);
        }
    }

    @Test
    void allComponentsReconstructExactly() {
        INDArray x = data();
        for (Pca.Method m : Pca.Method.values()) {
            Pca pca = Pca.fit(x, m);
            double worst = Compare.maxAbsDiff(m + " reconstruction", pca.reconstruct(x, 12), x);
            assertTrue(worst < 1e-4, m + ": largest error " + worst);
            assertEquals(0, pca.discardedVariancePerElement(12), 0);
            assertEquals(1, pca.explained(12), 1e-12);
        }
    }

    @Test
    void varianceAndComponentsAreThoseOfTheSampleCovariance() {
        INDArray x = data();
        Pca pca = Pca.fit(x, Pca.Method.COVARIANCE);
        INDArray centred = x.subRowVector(x.mean(true, 0));
        INDArray cov = centred.transpose().mmul(centred).divi(x.size(0)).castTo(DataType.DOUBLE);
        double[] v = pca.variances();
        for (int j = 0; j < 12; j++) {
            INDArray w = pca.components().getColumn(j).castTo(DataType.DOUBLE).reshape(12, 1);
            // An eigenvector of the covariance, with the eigenvalue reported, and unit length.
            INDArray residual = cov.mmul(w).subi(w.mul(v[j]));
            assertTrue(residual.norm2Number().doubleValue() < 1e-4 * v[0], "component " + j);
            assertEquals(1, w.norm2Number().doubleValue(), 1e-5);
            assertTrue(j == 0 || v[j] <= v[j - 1], "variances in decreasing order");
        }
    }

    @Test
    void bothRoutesGiveTheSameSubspace() {
        INDArray x = data();
        Pca byCov = Pca.fit(x, Pca.Method.COVARIANCE);
        Pca byData = Pca.fit(x, Pca.Method.DATA);
        assertArrayEquals(byCov.variances(), byData.variances(), 1e-4);
        // Directions are defined up to sign; the projector W·Wᵀ is not.
        INDArray a = byCov.components().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4));
        INDArray b = byData.components().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4));
        double diff = Compare.maxAbsDiff("projector", b.mmul(b.transpose()), a.mmul(a.transpose()));
        assertTrue(diff < 1e-4, "projectors differ by " + diff);
    }

    @Test
    void aLineInThePlaneIsFoundAsTheFirstComponent() {
        // Points along (1, 1)/√2 with a little noise across it: that is the first direction, variance ≈ t's.
        INDArray t = Init.normal(new Rng(3), DataType.FLOAT, 0, 2, 300, 1);
        INDArray across = Init.normal(new Rng(4), DataType.FLOAT, 0, 0.01, 300, 1);
        INDArray x = Nd4j.hstack(t.add(across), t.sub(across)).divi(Math.sqrt(2));
        Pca pca = Pca.fit(x, Pca.Method.COVARIANCE);
        INDArray first = pca.components().getColumn(0);
        assertEquals(1 / Math.sqrt(2), Math.abs(first.getDouble(0)), 1e-4);
        assertEquals(first.getDouble(0), first.getDouble(1), 1e-4);
        assertEquals(t.varNumber().doubleValue(), pca.variances()[0], 0.05 * pca.variances()[0]);
        assertEquals(1e-4, pca.variances()[1], 3e-5);
    }
}

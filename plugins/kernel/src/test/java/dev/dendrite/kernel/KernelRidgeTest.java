package dev.dendrite.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.kernel.krr.KernelRidge;
import dev.dendrite.nn.Init;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.testkit.Compare;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class KernelRidgeTest {

    @Test
    void interpolatesItsTrainingDataAsTheRidgeVanishes() {
        INDArray x = Init.normal(new Rng(1), DataType.DOUBLE, 0, 1, 50, 3);
        INDArray y = Transforms.sin(x.getColumn(0), true).reshape(50, 1);
        KernelRidge krr = KernelRidge.fit(x, y, 0, 0.5, 1e-8);
        Compare.assertClose("fit on the training points", krr.predict(x), y, 1e-4);
        // And generalises to nearby points of the smooth target.
        INDArray z = Init.normal(new Rng(2), DataType.DOUBLE, 0, 0.5, 20, 3);
        double err = Compare.maxAbsDiff("test points", krr.predict(z), Transforms.sin(z.getColumn(0), true).reshape(20, 1));
        assertTrue(err < 0.1, "max test error " + err);
    }

    @Test
    void classifiesSeparatedBlobsAndPredictsInBlocks() {
        Blobs train = new Blobs(3, 40, 2, 1.0, 3);
        Blobs test = new Blobs(3, 1000, 2, 1.0, 3); // same centres (same seed), 3000 points: two blocks
        KernelRidge krr = KernelRidge.fit(train.points, train.labels, 3, 0.1, 1e-2);
        INDArray predicted = krr.predictClasses(test.points);
        double accuracy = predicted.eq(test.labels).castTo(DataType.INT64).sumNumber().doubleValue() / 3000;
        assertTrue(accuracy > 0.98, "accuracy " + accuracy);
    }

    @Test
    void badInputIsRefused() {
        INDArray x = Nd4j.ones(DataType.DOUBLE, 4, 2);
        assertEquals("kernel ridge: gamma and lambda must be positive and finite, got gamma=1.0, lambda=0.0",
                assertThrows(DendriteException.class, () -> KernelRidge.fit(x, Nd4j.ones(4, 1), 0, 1, 0))
                        .getMessage());
        assertEquals("kernel ridge: expected x [n, d] and n targets, got x [4, 2], y [3, 1]",
                assertThrows(DendriteException.class, () -> KernelRidge.fit(x, Nd4j.ones(3, 1), 0, 1, 1))
                        .getMessage());
        KernelRidge krr = KernelRidge.fit(x, Nd4j.ones(4, 1), 0, 1, 1);
        assertEquals("kernel ridge: expected [m, 2], got [1, 3]",
                assertThrows(DendriteException.class, () -> krr.predict(Nd4j.ones(1, 3))).getMessage());
    }
}

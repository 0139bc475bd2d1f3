package dev.dendrite.kernel.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.inject.Registries;
import dev.dendrite.kernel.Blobs;
import dev.dendrite.kernel.SquaredDistances;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RbfTest {
    static LayerContext context(long seed) {
        return new LayerContext(DataType.DOUBLE, new Rng(seed),
                Registries.discover(RbfTest.class.getClassLoader()).layers());
    }

    @Test
    void computesTheGaussianOfTheDistanceToEachCentre() {
        Rbf rbf = new Rbf(new Rbf.Config(2, 2, 0.5, true), context(1));
        rbf.centres().assign(Nd4j.createFromArray(new double[][] {{0, 0}, {1, 2}}));
        INDArray x = Nd4j.createFromArray(new double[][] {{0, 0}, {1, 1}, {3, -1}});
        INDArray y;
        try (var off = GradMode.off()) {
            y = rbf.forward(Tensor.of(x)).data();
        }
        // ‖x−c‖²: row 0: 0, 5; row 1: 2, 1; row 2: 10, 13.
        double[][] d2 = {{0, 5}, {2, 1}, {10, 13}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals(Math.exp(-0.5 * d2[i][j]), y.getDouble(i, j), 1e-12, "y[" + i + "," + j + "]");
            }
        }
    }

    @Test
    void kMeansInitialisationPutsCentresOnTheClustersAndWidthsOnTheirSpread() {
        Blobs b = new Blobs(4, 50, 3, 0.5, 7);
        Rbf rbf = new Rbf(new Rbf.Config(3, 4, null, true), context(2));
        rbf.fitCentres(b.points, 30, new Rng(3));
        INDArray d = SquaredDistances.of(b.centres, rbf.centres());
        assertTrue(Compare.maxAbs("nearest centre distances²", d.min(1)) < 0.1, "centres found: " + d.min(1));
        // σ² ≈ 3·0.25, so γ = 1/(2σ²) ≈ 0.67.
        INDArray gamma = rbf.gamma();
        Compare.assertFinite("widths", gamma); // minNumber() and maxNumber() would skip a NaN
        assertTrue(gamma.minNumber().doubleValue() > 0.45 && gamma.maxNumber().doubleValue() < 0.95,
                "widths " + gamma);
    }

    @Test
    void badConfigurationAndSampleAreRefused() {
        assertEquals("rbf: in and centres must be positive, got in=0, centres=3",
                assertThrows(ShapeException.class, () -> new Rbf(new Rbf.Config(0, 3, null, true), context(1)))
                        .getMessage());
        assertEquals("rbf: gamma must be positive and finite, got -1.0",
                assertThrows(ShapeException.class, () -> new Rbf(new Rbf.Config(2, 3, -1.0, true), context(1)))
                        .getMessage());
        Rbf rbf = new Rbf(new Rbf.Config(2, 3, null, true), context(1));
        assertEquals("rbf: the k-means sample must be [n, 2], got [5, 3]",
                assertThrows(ShapeException.class, () -> rbf.fitCentres(Nd4j.ones(5, 3), 5, new Rng(1)))
                        .getMessage());
        assertEquals("k-means: need 1 <= k <= n, got k=3 for 2 points",
                assertThrows(DendriteException.class, () -> rbf.fitCentres(Nd4j.ones(2, 2), 5, new Rng(1)))
                        .getMessage());
    }
}

package dev.dendrite.kernel.elm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.data.ArrayDataset;
import dev.dendrite.kernel.layers.RandomFourierFeatures;
import dev.dendrite.kernel.linalg.Cholesky;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Module;
import dev.dendrite.nn.Sequential;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.DendriteException;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.inject.Registries;
import dev.dendrite.testkit.Compare;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RidgeReadoutTest {
    /** A linear head with dense's parameter layout, so the test does not depend on another plugin. */
    static final class Linear extends Module {
        final Tensor weight;
        final Tensor bias;

        Linear(long in, long out, boolean withBias) {
            super("linear");
            weight = parameter("weight", Nd4j.zeros(DataType.DOUBLE, out, in));
            bias = withBias ? parameter("bias", Nd4j.zeros(DataType.DOUBLE, out)) : null;
        }

        @Override
        protected Tensor call(Tensor x) {
            return F.linear(x, weight, bias);
        }
    }

    private static final LayerContext CTX = new LayerContext(DataType.DOUBLE, new Rng(1),
            Registries.discover(RidgeReadoutTest.class.getClassLoader()).layers());

    private static RandomFourierFeatures features(long in, long d) {
        return new RandomFourierFeatures(new RandomFourierFeatures.Config(in, d, 0.5, false), CTX);
    }

    private static INDArray run(Sequential m, INDArray x) {
        try (var off = GradMode.off()) {
            return m.forward(Tensor.of(x)).data();
        }
    }

    @Test
    void recoversAnExactLinearReadoutAcrossBatches() {
        RandomFourierFeatures body = features(3, 20);
        INDArray x = Init.normal(new Rng(2), DataType.DOUBLE, 0, 1, 250, 3);
        INDArray w = Init.normal(new Rng(3), DataType.DOUBLE, 0, 1, 2, 20);
        INDArray h = run(new Sequential(body), x);
        INDArray y = h.mmul(w.transpose()).addiRowVector(Nd4j.createFromArray(0.5, -2.0));
        Linear head = new Linear(20, 2, true);
        Sequential model = new Sequential(body, head);
        // Batches of 64 do not divide 250: the accumulation must still see every row once.
        RidgeReadout.Fit fit = new RidgeReadout(1e-10, 64).fit(model, new ArrayDataset(x, y, "linear"));
        assertEquals(250, fit.examples());
        assertEquals(20, fit.features());
        Compare.assertClose("weights", head.weight.data(), w, 1e-6);
        assertEquals(0.5, head.bias.data().getDouble(0), 1e-6);
        assertEquals(-2.0, head.bias.data().getDouble(1), 1e-6);
        assertTrue(fit.trainMse() < 1e-10, "train mse " + fit.trainMse());
    }

    @Test
    void classLabelsAreFittedAsOneHotTargetsByTheNormalEquations() {
        RandomFourierFeatures body = features(4, 12);
        INDArray x = Init.normal(new Rng(4), DataType.DOUBLE, 0, 1, 90, 4);
        INDArray labels = x.getColumn(0).gt(0).castTo(DataType.INT64).addi(x.getColumn(1).gt(0.5)
                .castTo(DataType.INT64)); // classes 0, 1, 2
        Linear head = new Linear(12, 3, false);
        new RidgeReadout(0.1, 32).fit(new Sequential(body, head), new ArrayDataset(x, labels, "classes"));
        // Direct: β = (HᵀH + 0.1·I)⁻¹ HᵀT with the whole H at once.
        INDArray h = run(new Sequential(body), x);
        INDArray t = Nd4j.zeros(DataType.DOUBLE, 90, 3);
        for (int i = 0; i < 90; i++) {
            t.putScalar(i, labels.getLong(i), 1.0);
        }
        INDArray beta = Cholesky.factor(h.transpose().mmul(h).addi(Nd4j.eye(12).castTo(DataType.DOUBLE).muli(0.1)))
                .solve(h.transpose().mmul(t));
        Compare.assertClose("weights vs the direct solution", head.weight.data(), beta.transpose(), 1e-9);
    }

    @Test
    void theBiasIsNotPenalised() {
        RandomFourierFeatures body = features(2, 5);
        INDArray x = Init.normal(new Rng(5), DataType.DOUBLE, 0, 1, 40, 2);
        INDArray y = Nd4j.valueArrayOf(new long[] {40, 1}, 3.0, DataType.DOUBLE);
        Linear head = new Linear(5, 1, true);
        new RidgeReadout(1e9, 16).fit(new Sequential(body, head), new ArrayDataset(x, y, "constant"));
        assertTrue(Compare.maxAbs("weights", head.weight.data()) < 1e-6);
        assertEquals(3.0, head.bias.data().getDouble(0), 1e-6);
    }

    @Test
    void refusesModelsAndTargetsItCannotFit() {
        INDArray x = Nd4j.ones(DataType.DOUBLE, 4, 2);
        ArrayDataset data = new ArrayDataset(x, Nd4j.createFromArray(0L, 1L, 2L, 5L), "ids");
        RidgeReadout r = new RidgeReadout(1e-3, 2);
        assertEquals("ridge readout: the last layer (random_fourier_features) must be linear, with a 'weight' "
                + "[out, in]; it has []", assertThrows(DendriteException.class,
                        () -> r.fit(new Sequential(features(2, 3)), data)).getMessage());
        assertEquals("ridge readout: class ids must be in [0, 3), found 5", assertThrows(DendriteException.class,
                () -> r.fit(new Sequential(features(2, 4), new Linear(4, 3, true)), data)).getMessage());
        assertEquals("ridge readout: the body's output is [2, 4], the head expects [batch, 6]",
                assertThrows(DendriteException.class,
                        () -> r.fit(new Sequential(features(2, 4), new Linear(6, 3, true)), data)).getMessage());
        assertEquals("ridge readout: ridge must be finite and >= 0, got -1.0",
                assertThrows(DendriteException.class, () -> new RidgeReadout(-1, 2)).getMessage());
    }
}

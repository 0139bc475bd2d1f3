package dev.dendrite.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.spi.Json;
import dev.dendrite.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Each loss against its formula, written out by hand for two real and two generated outputs. */
class GanLossesTest {
    private static final double[] REAL = {1.5, -0.5};
    private static final double[] FAKE = {-2.0, 0.25};

    private static GanLoss loss(String id) {
        var spec = Gans.spec(id, 0, 1);
        return GanRuns.loss(spec, GanLossesTest.class.getClassLoader());
    }

    private static Tensor t(double... v) {
        return Tensor.leaf(Nd4j.createFromArray(v).castTo(DataType.DOUBLE).reshape(v.length, 1));
    }

    private static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }

    /** Mean over the two examples of f. */
    private static double mean(double[] v, java.util.function.DoubleUnaryOperator f) {
        return (f.applyAsDouble(v[0]) + f.applyAsDouble(v[1])) / 2;
    }

    @Test
    void discoversTheFourLosses() {
        assertEquals(List.of("hinge", "least_squares", "minimax", "non_saturating"),
                GanRuns.losses(getClass().getClassLoader()).all().stream().map(p -> p.id()).toList());
    }

    @Test
    void crossEntropyLosses() {
        double t = 0.9;
        double d = mean(REAL, s -> softplus(s) - t * s) + mean(FAKE, GanLossesTest::softplus);
        for (String id : List.of("minimax", "non_saturating")) {
            assertEquals(d, loss(id).discriminator(t(REAL), t(FAKE), t).item(), 1e-12, id);
        }
        assertEquals(-mean(FAKE, GanLossesTest::softplus), loss("minimax").generator(t(FAKE)).item(), 1e-12);
        assertEquals(mean(FAKE, s -> softplus(-s)), loss("non_saturating").generator(t(FAKE)).item(), 1e-12);
    }

    @Test
    void leastSquares() {
        double t = 0.9;
        double d = 0.5 * mean(REAL, s -> (s - t) * (s - t)) + 0.5 * mean(FAKE, s -> s * s);
        assertEquals(d, loss("least_squares").discriminator(t(REAL), t(FAKE), t).item(), 1e-12);
        assertEquals(0.5 * mean(FAKE, s -> (s - 1) * (s - 1)), loss("least_squares").generator(t(FAKE)).item(), 1e-12);
        GanLoss custom = new GanLosses.LeastSquares().create(Json.read("{\"a\": -1, \"c\": 0}",
                GanLosses.LeastSquaresConfig.class));
        assertEquals(0.5 * mean(REAL, s -> (s - 1) * (s - 1)) + 0.5 * mean(FAKE, s -> (s + 1) * (s + 1)),
                custom.discriminator(t(REAL), t(FAKE), 1).item(), 1e-12);
        assertEquals(0.5 * mean(FAKE, s -> s * s), custom.generator(t(FAKE)).item(), 1e-12);
    }

    @Test
    void hinge() {
        double d = mean(REAL, s -> Math.max(0, 1 - s)) + mean(FAKE, s -> Math.max(0, 1 + s));
        assertEquals(d, loss("hinge").discriminator(t(REAL), t(FAKE), 1).item(), 1e-12);
        assertEquals(-mean(FAKE, s -> s), loss("hinge").generator(t(FAKE)).item(), 1e-12);
    }

    /**
     * Why the non-saturating loss exists: when the discriminator confidently rejects a sample (logit −10) the
     * minimax generator loss's gradient is σ(−10) ≈ 4.5e-5, the non-saturating one's is ≈ 1.
     */
    @Test
    void nonSaturatingKeepsTheGradientWhereMinimaxVanishes() {
        Tensor a = t(-10, -10);
        loss("minimax").generator(a).backward();
        Tensor b = t(-10, -10);
        loss("non_saturating").generator(b).backward();
        double minimax = Math.abs(a.grad().getDouble(0));
        double nonSaturating = Math.abs(b.grad().getDouble(0));
        assertEquals(1 / (1 + Math.exp(10)) / 2, minimax, 1e-12);
        assertEquals((1 - 1 / (1 + Math.exp(10))) / 2, nonSaturating, 1e-12);
        assertTrue(nonSaturating / minimax > 1e4);
    }

    /** BCE with logits stays finite where log(σ(s)) would overflow. */
    @Test
    void crossEntropyIsStableForLargeLogits() {
        double v = loss("non_saturating").discriminator(t(800, 800), t(-800, -800), 1).item();
        assertEquals(0, v, 1e-12);
        assertEquals(800, loss("non_saturating").generator(t(-800, -800)).item(), 1e-9);
    }
}

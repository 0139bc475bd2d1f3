package dev.dendrite.basic.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.loss.Loss;
import dev.dendrite.loss.LossProvider;
import dev.dendrite.loss.NonFiniteLossException;
import dev.dendrite.spi.Json;
import dev.dendrite.spi.Registry;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.GradCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LossesTest {
    private static final double E = 1e-12;

    private static <C extends Record> Loss loss(LossProvider<C> p, String json) {
        return p.create(Json.config(p, json == null ? null : Json.read(json, com.fasterxml.jackson.databind.JsonNode.class)));
    }

    private static Tensor t(double[][] v) {
        return Tensor.of(Nd4j.createFromArray(v));
    }

    private static Tensor t(double... v) {
        return Tensor.of(Nd4j.createFromArray(v));
    }

    private static Tensor ids(long... v) {
        return Tensor.of(Nd4j.createFromArray(v));
    }

    @Test
    void mseAndL1MatchHandComputedValues() {
        Tensor p = t(1, 2, 3);
        Tensor y = t(1, 1, 1);
        assertEquals(5.0 / 3, loss(new Losses.Mse(), null).apply(p, y).item(), E);
        assertEquals(5.0, loss(new Losses.Mse(), "{\"reduction\": \"sum\"}").apply(p, y).item(), E);
        assertEquals(1.0, loss(new Losses.L1(), null).apply(p, y).item(), E);
    }

    @Test
    void crossEntropyMatchesLogSumExpMinusTargetLogit() {
        double row0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;
        double row1 = Math.log(3);
        double v = loss(new Losses.CrossEntropy(), null).apply(t(new double[][] {{1, 2, 3}, {1, 1, 1}}), ids(2, 0))
                .item();
        assertEquals((row0 + row1) / 2, v, E);
    }

    @Test
    void labelSmoothingMixesTheUniformDistributionIn() {
        double[] logits = {1, 2, 3};
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        double eps = 0.1;
        double expected = 0;
        for (int c = 0; c < 3; c++) {
            double q = (c == 0 ? 1 - eps : 0) + eps / 3;
            expected -= q * (logits[c] - lse);
        }
        double v = loss(new Losses.CrossEntropy(), "{\"labelSmoothing\": 0.1}").apply(t(new double[][] {logits}),
                ids(0)).item();
        assertEquals(expected, v, E);
    }

    @Test
    void crossEntropyTakesSpatialTargets() {
        INDArray logits = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 3, 4);
        long[][] target = {{0, 1, 2, 1}, {2, 2, 0, 1}};
        double expected = 0;
        for (int n = 0; n < 2; n++) {
            for (int d = 0; d < 4; d++) {
                double lse = 0;
                for (int c = 0; c < 3; c++) {
                    lse += Math.exp(logits.getDouble(n, c, d));
                }
                expected += Math.log(lse) - logits.getDouble(n, target[n][d], d);
            }
        }
        double v = loss(new Losses.CrossEntropy(), null).apply(Tensor.of(logits), Tensor.of(Nd4j.createFromArray(
                target))).item();
        assertEquals(expected / 8, v, 1e-12);
    }

    @Test
    void nllPicksTheTargetLogProbability() {
        double v = loss(new Losses.Nll(), null).apply(t(new double[][] {{-1, -2}, {-0.5, -3}}), ids(1, 0)).item();
        assertEquals(1.25, v, E);
    }

    @Test
    void binaryCrossEntropyWithLogitsIsStableForLargeLogits() {
        double v = loss(new Losses.BinaryCrossEntropy(), null).apply(t(0, 2, -3), t(1, 0, 1)).item();
        assertEquals((Math.log(2) + Math.log(1 + Math.exp(2)) + Math.log(1 + Math.exp(3))) / 3, v, E);
        assertEquals(100.0, loss(new Losses.BinaryCrossEntropy(), null).apply(t(100.0), t(0.0)).item(), 1e-12);
        assertEquals(0.0, loss(new Losses.BinaryCrossEntropy(), null).apply(t(100.0), t(1.0)).item(), 1e-12);
    }

    @Test
    void everyLossHasFiniteDifferenceGradients() {
        Tensor p = Tensor.leaf(Nd4j.createFromArray(new double[][] {{0.3, -1.2, 2.0}, {0.7, 0.1, -0.4}}));
        Tensor regression = t(new double[][] {{0.5, -1.0, 1.0}, {1.0, 0.0, 0.5}});
        Tensor probs = t(new double[][] {{1, 0, 1}, {0, 0.5, 1}});
        Tensor classes = ids(2, 0);
        check(loss(new Losses.Mse(), null), p, regression);
        check(loss(new Losses.L1(), null), p, regression);
        check(loss(new Losses.CrossEntropy(), "{\"labelSmoothing\": 0.2}"), p, classes);
        check(loss(new Losses.Nll(), null), p, classes);
        check(loss(new Losses.BinaryCrossEntropy(), null), p, probs);
    }

    private static void check(Loss l, Tensor p, Tensor target) {
        GradCheck.check(l.kind(), Map.of("prediction", p), () -> l.apply(p, target));
    }

    @Test
    void aNanLossIsAnErrorThatSaysWhere() {
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                () -> loss(new Losses.Mse(), null).apply(t(1, Double.NaN), t(0, 0)));
        assertTrue(e.getMessage().contains("'mse' is NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("prediction has 1 NaN"), e.getMessage());
    }

    @Test
    void badTargetsAreRefusedWithTheShapes() {
        ShapeException shape = assertThrows(ShapeException.class,
                () -> loss(new Losses.Mse(), null).apply(t(new double[][] {{1, 2}}), t(1, 2)));
        assertTrue(shape.getMessage().contains("[1, 2]") && shape.getMessage().contains("[2]"), shape.getMessage());
        ShapeException range = assertThrows(ShapeException.class,
                () -> loss(new Losses.CrossEntropy(), null).apply(t(new double[][] {{1, 2, 3}}), ids(5)));
        assertTrue(range.getMessage().contains("class id 5 is outside [0, 3)"), range.getMessage());
        ShapeException floats = assertThrows(ShapeException.class,
                () -> loss(new Losses.CrossEntropy(), null).apply(t(new double[][] {{1, 2, 3}}), t(1.0)));
        assertTrue(floats.getMessage().contains("integer class ids"), floats.getMessage());
        ShapeException count = assertThrows(ShapeException.class,
                () -> loss(new Losses.Nll(), null).apply(t(new double[][] {{1, 2, 3}}), ids(1, 2)));
        assertTrue(count.getMessage().contains("need targets [1]"), count.getMessage());
    }

    @Test
    void allFiveLossesAreDiscoveredAndAnUnknownIdListsThem() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Registry<LossProvider<?>> r = (Registry) Registry.load("loss", LossProvider.class, getClass().getClassLoader());
        for (String id : new String[] {"mse", "l1", "cross_entropy", "binary_cross_entropy", "nll"}) {
            assertTrue(r.contains(id), id);
        }
        var e = assertThrows(dev.dendrite.tensor.DendriteException.class, () -> r.get("hinge"));
        assertEquals("unknown loss 'hinge'; known loss ids: binary_cross_entropy, cross_entropy, l1, mse, nll",
                e.getMessage());
    }

    @Test
    void anInfiniteLogitOfAnotherClassDoesNotMakeCrossEntropyNaN() {
        double v = loss(new Losses.Nll(), null).apply(t(new double[][] {{-0.5, Double.NEGATIVE_INFINITY}}), ids(0))
                .item();
        assertEquals(0.5, v, E);
    }
}

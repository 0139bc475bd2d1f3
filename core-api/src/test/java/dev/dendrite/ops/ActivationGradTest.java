package dev.dendrite.ops;

import static dev.dendrite.ops.TestTensors.assertGradientsMatch;
import static dev.dendrite.ops.TestTensors.leaf;
import static dev.dendrite.ops.TestTensors.leafAwayFrom;
import static dev.dendrite.ops.TestTensors.leafOf;
import static dev.dendrite.ops.TestTensors.positiveLeaf;

import dev.dendrite.tensor.Tensor;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Gradient checks of every elementwise primitive, with inputs kept away from kinks. */
class ActivationGradTest {
    private static final double[] NO_KINKS = {};
    private static final double[] KINK_AT_0 = {0.0};

    static Stream<Arguments> smooth() {
        return Stream.of(
                Arguments.of("exp", (UnaryOperator<Tensor>) F::exp, NO_KINKS),
                Arguments.of("neg", (UnaryOperator<Tensor>) F::neg, NO_KINKS),
                Arguments.of("tanh", (UnaryOperator<Tensor>) F::tanh, NO_KINKS),
                Arguments.of("cos", (UnaryOperator<Tensor>) F::cos, NO_KINKS),
                Arguments.of("sin", (UnaryOperator<Tensor>) F::sin, NO_KINKS),
                Arguments.of("sigmoid", (UnaryOperator<Tensor>) F::sigmoid, NO_KINKS),
                Arguments.of("gelu", (UnaryOperator<Tensor>) F::gelu, NO_KINKS),
                Arguments.of("softplus", (UnaryOperator<Tensor>) F::softplus, NO_KINKS),
                Arguments.of("softsign", (UnaryOperator<Tensor>) F::softsign, KINK_AT_0),
                Arguments.of("abs", (UnaryOperator<Tensor>) F::abs, KINK_AT_0),
                Arguments.of("relu", (UnaryOperator<Tensor>) F::relu, KINK_AT_0),
                Arguments.of("leakyRelu 0.1", (UnaryOperator<Tensor>) x -> F.leakyRelu(x, 0.1), KINK_AT_0),
                Arguments.of("elu 1.0", (UnaryOperator<Tensor>) x -> F.elu(x, 1.0), KINK_AT_0),
                Arguments.of("elu 0.5", (UnaryOperator<Tensor>) x -> F.elu(x, 0.5), KINK_AT_0),
                Arguments.of("selu", (UnaryOperator<Tensor>) F::selu, KINK_AT_0),
                Arguments.of("hardSigmoid default", (UnaryOperator<Tensor>) F::hardSigmoid, new double[] {-2.5, 2.5}),
                Arguments.of("hardSigmoid 0.5,0.1", (UnaryOperator<Tensor>) x -> F.hardSigmoid(x, 0.5, 0.1),
                        new double[] {-0.2, 1.8}),
                Arguments.of("clip [-0.5, 0.8]", (UnaryOperator<Tensor>) x -> F.clip(x, -0.5, 0.8),
                        new double[] {-0.5, 0.8}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smooth")
    void gradientMatchesFiniteDifferences(String name, UnaryOperator<Tensor> f, double[] kinks) {
        // Scale 2 so the saturating parts (hardSigmoid, clip) and both sides of every kink are hit.
        Tensor x = leafAwayFrom(name.hashCode(), 2.0, 0.05, kinks, 3, 5);
        assertGradientsMatch(name, Map.of("x", x), () -> f.apply(x));
    }

    @Test
    void logGradientOnPositiveInputs() {
        Tensor x = positiveLeaf(21, 3, 4);
        assertGradientsMatch("log", Map.of("x", x), () -> F.log(x));
    }

    @Test
    void sqrtGradientOnPositiveInputs() {
        Tensor x = positiveLeaf(22, 3, 4);
        assertGradientsMatch("sqrt", Map.of("x", x), () -> F.sqrt(x));
    }

    @Test
    void aEuclideanDistanceOfZeroHasAZeroGradientNotNaN() {
        // ‖x − c‖ as PyTorch's cdist/norm export it: (Σ(x − c)²)^½ or Sqrt(Σ(x − c)²). At x = c the slope of
        // the root is infinite and that of the square 0; PyTorch's own backward gives 0 there, and so do we.
        Tensor x = leafOf(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor c = Tensor.of(org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{1, 2}, {0, 0}}));
        Tensor d2 = F.sum(F.pow(F.sub(x, c), 2.0), false, 1);
        F.sum(F.add(F.pow(d2, 0.5), F.sqrt(d2)), false, 0).backward();
        org.nd4j.linalg.api.ndarray.INDArray g = x.grad();
        org.junit.jupiter.api.Assertions.assertEquals(0.0, g.getDouble(0, 0), 0.0);
        org.junit.jupiter.api.Assertions.assertEquals(0.0, g.getDouble(0, 1), 0.0);
        // Elsewhere the usual 2·(x − c)/‖x − c‖: row 1 is (3, 4) at distance 5.
        org.junit.jupiter.api.Assertions.assertEquals(2 * 3 / 5.0, g.getDouble(1, 0), 1e-12);
        org.junit.jupiter.api.Assertions.assertEquals(2 * 4 / 5.0, g.getDouble(1, 1), 1e-12);
    }

    @Test
    void softplusGradientAtLargeMagnitudes() {
        // Separately: with softplus(50) = 50 in the same loss, rounding at 50 would swamp the 1e-22 slopes.
        Tensor neg = leafOf(new double[] {-50, -20, -1}, 3);
        assertGradientsMatch("softplus large negative", Map.of("x", neg), () -> F.softplus(neg));
        Tensor pos = leafOf(new double[] {0.5, 20, 50}, 3);
        assertGradientsMatch("softplus large positive", Map.of("x", pos), () -> F.softplus(pos));
    }

    @Test
    void sigmoidAndTanhGradientsInSaturation() {
        Tensor x = leafOf(new double[] {-30, -8, 8, 30}, 4);
        assertGradientsMatch("sigmoid saturated", Map.of("x", x), () -> F.sigmoid(x));
        assertGradientsMatch("tanh saturated", Map.of("x", x), () -> F.tanh(x));
    }

    @Test
    void seluAndEluGradientsAtLargeMagnitudes() {
        Tensor x = leafOf(new double[] {-40, -3, 3, 40}, 4);
        assertGradientsMatch("selu large", Map.of("x", x), () -> F.selu(x));
        assertGradientsMatch("elu large", Map.of("x", x), () -> F.elu(x, 0.7));
    }

    @Test
    void composedActivationsChainTheirGradients() {
        Tensor x = leaf(23, 4, 3);
        assertGradientsMatch("tanh(gelu(x)) * sigmoid(x)", Map.of("x", x), () -> F.mul(F.tanh(F.gelu(x)), F.sigmoid(x)));
    }
}

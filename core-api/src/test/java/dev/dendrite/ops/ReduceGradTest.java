package dev.dendrite.ops;

import static dev.dendrite.ops.TestTensors.assertShape;
import static dev.dendrite.ops.TestTensors.assertGradientsMatch;
import static dev.dendrite.ops.TestTensors.leaf;
import static dev.dendrite.ops.TestTensors.leafOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Gradient checks of the reductions over every kind of axis set, and of softmax / log-softmax. */
class ReduceGradTest {

    interface Reduction {
        Tensor apply(Tensor x, boolean keepDims, int... axes);
    }

    private static final Map<String, Reduction> REDUCTIONS = Map.of(
            "sum", F::sum, "mean", F::mean, "max", F::max, "min", F::min, "prod", F::prod,
            "logSumExp", F::logSumExp);

    /** Axis sets over a [2,3,4] input and the shape each leaves with keepDims false. */
    static Stream<Arguments> cases() {
        int[][] axes = {{1}, {0, 2}, {-1}, {-1, 0}, {}, {0, 1, 2}};
        long[][] reduced = {{2, 4}, {3}, {2, 3}, {3}, {}, {}};
        Stream.Builder<Arguments> b = Stream.builder();
        for (String op : REDUCTIONS.keySet().stream().sorted().toList()) {
            for (int i = 0; i < axes.length; i++) {
                for (boolean keep : new boolean[] {true, false}) {
                    b.add(Arguments.of(op, axes[i], keep, reduced[i]));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} axes={1} keepDims={2}")
    @MethodSource("cases")
    void reductionGradient(String op, int[] axes, boolean keepDims, long[] reducedShape) {
        Reduction r = REDUCTIONS.get(op);
        Tensor x = leaf(41 + Arrays.hashCode(axes), 2, 3, 4);
        Tensor y = r.apply(x, keepDims, axes);
        if (keepDims) {
            assertEquals(3, y.rank(), "keepDims keeps the rank");
        } else {
            assertShape(y, reducedShape);
        }
        assertGradientsMatch(op + Arrays.toString(axes), Map.of("x", x), () -> r.apply(x, keepDims, axes));
    }

    @Test
    void prodGradientWithOneZeroInAGroup() {
        // Row 0 has one zero: its gradient is the product of the others; the non-zeros get 0.
        Tensor x = leafOf(new double[] {1.5, 0.0, -2.0, 0.7, 1.2, -0.4}, 2, 3);
        assertGradientsMatch("prod one zero", Map.of("x", x), () -> F.prod(x, false, 1));
        x.zeroGrad();
        F.sum(F.prod(x, false, 1), false).backward();
        TestTensors.assertValues(Tensor.of(x.grad()), 1e-12, 0, -3.0, 0, 1.2 * -0.4, 0.7 * -0.4, 0.7 * 1.2);
    }

    @Test
    void prodGradientWithTwoZerosInAGroupIsZero() {
        Tensor x = leafOf(new double[] {0.0, 1.5, 0.0, 0.7, 1.2, -0.4}, 2, 3);
        assertGradientsMatch("prod two zeros", Map.of("x", x), () -> F.prod(x, false, 1));
        x.zeroGrad();
        F.sum(F.prod(x, false, 1), false).backward();
        TestTensors.assertValues(Tensor.of(x.grad()), 1e-12, 0, 0, 0, 1.2 * -0.4, 0.7 * -0.4, 0.7 * 1.2);
    }

    @Test
    void prodGradientWithZerosOverAllAxes() {
        Tensor x = leafOf(new double[] {0.0, 1.5, 2.0, 0.7}, 2, 2);
        assertGradientsMatch("prod all one zero", Map.of("x", x), () -> F.prod(x, true));
    }

    @Test
    void maxGradientIsSplitBetweenTies() {
        Tensor x = leafOf(new double[] {1.0, 3.0, 3.0, 2.0}, 4);
        F.max(x, false).backward();
        TestTensors.assertValues(Tensor.of(x.grad()), 0, 0, 0.5, 0.5, 0);
    }

    @ParameterizedTest(name = "softmax axis {0}")
    @ValueSource(ints = {0, 1, 2, -1, -3})
    void softmaxGradient(int axis) {
        Tensor x = leaf(51 + axis, 2, 3, 4);
        assertGradientsMatch("softmax", Map.of("x", x), () -> F.softmax(x, axis));
    }

    @ParameterizedTest(name = "logSoftmax axis {0}")
    @ValueSource(ints = {0, 1, 2, -1, -2})
    void logSoftmaxGradient(int axis) {
        Tensor x = leaf(61 + axis, 2, 3, 4);
        assertGradientsMatch("logSoftmax", Map.of("x", x), () -> F.logSoftmax(x, axis));
    }

    @Test
    void softmaxGradientOfARankOneInput() {
        Tensor x = leaf(70, 5);
        assertGradientsMatch("softmax rank 1", Map.of("x", x), () -> F.softmax(x, 0));
    }

    @Test
    void logSumExpGradientWithLargeInputsIsTheSoftmax() {
        // Finite differences at 1000 drown in rounding; the gradient is known in closed form instead.
        Tensor x = leafOf(new double[] {1000, 1001, 1000, -1000}, 4);
        F.logSumExp(x, false).backward();
        double z = 2 + Math.E;
        TestTensors.assertValues(Tensor.of(x.grad()), 1e-12, 1 / z, Math.E / z, 1 / z, 0);
    }
}

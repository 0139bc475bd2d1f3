package dev.dendrite.ops;

import static dev.dendrite.ops.TestTensors.assertShape;
import static dev.dendrite.ops.TestTensors.assertGradientsMatch;
import static dev.dendrite.ops.TestTensors.leaf;
import static dev.dendrite.ops.TestTensors.positiveLeaf;

import dev.dendrite.tensor.Tensor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Gradient checks of the broadcasting arithmetic: backward must sum each gradient back to its input's shape. */
class ArithmeticGradTest {

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("same shape", new long[] {2, 3, 4}, new long[] {2, 3, 4}),
                Arguments.of("[2,3,4] op [3,1]", new long[] {2, 3, 4}, new long[] {3, 1}),
                Arguments.of("[3,1] op [2,3,4]", new long[] {3, 1}, new long[] {2, 3, 4}),
                Arguments.of("[2,3,4] op [4]", new long[] {2, 3, 4}, new long[] {4}),
                Arguments.of("[2,3,4] op scalar", new long[] {2, 3, 4}, new long[] {}),
                Arguments.of("scalar op [2,3,4]", new long[] {}, new long[] {2, 3, 4}),
                Arguments.of("[2,1,4] op [3,1] (both broadcast)", new long[] {2, 1, 4}, new long[] {3, 1}));
    }

    @ParameterizedTest(name = "add {0}")
    @MethodSource("shapes")
    void addBackwardUnbroadcasts(String label, long[] sa, long[] sb) {
        Tensor a = leaf(1, sa);
        Tensor b = leaf(2, sb);
        assertGradientsMatch("add " + label, Map.of("a", a, "b", b), () -> F.add(a, b));
    }

    @ParameterizedTest(name = "sub {0}")
    @MethodSource("shapes")
    void subBackwardUnbroadcasts(String label, long[] sa, long[] sb) {
        Tensor a = leaf(3, sa);
        Tensor b = leaf(4, sb);
        assertGradientsMatch("sub " + label, Map.of("a", a, "b", b), () -> F.sub(a, b));
    }

    @ParameterizedTest(name = "mul {0}")
    @MethodSource("shapes")
    void mulBackwardUnbroadcasts(String label, long[] sa, long[] sb) {
        Tensor a = leaf(5, sa);
        Tensor b = leaf(6, sb);
        assertGradientsMatch("mul " + label, Map.of("a", a, "b", b), () -> F.mul(a, b));
    }

    @ParameterizedTest(name = "div {0}")
    @MethodSource("shapes")
    void divBackwardUnbroadcasts(String label, long[] sa, long[] sb) {
        Tensor a = leaf(7, sa);
        Tensor b = positiveLeaf(8, sb);
        assertGradientsMatch("div " + label, Map.of("a", a, "b", b), () -> F.div(a, b));
    }

    @ParameterizedTest(name = "pow {0}")
    @MethodSource("shapes")
    void powBackwardUnbroadcasts(String label, long[] sa, long[] sb) {
        Tensor a = positiveLeaf(9, sa);
        Tensor b = leaf(10, sb);
        assertGradientsMatch("pow " + label, Map.of("a", a, "b", b), () -> F.pow(a, b));
    }

    @Test
    void scalarConvenienceOverloadsDifferentiateTheTensorSide() {
        Tensor x = positiveLeaf(11, 2, 3);
        assertGradientsMatch("x + 2", Map.of("x", x), () -> F.add(x, 2.0));
        assertGradientsMatch("x * -3", Map.of("x", x), () -> F.mul(x, -3.0));
        assertGradientsMatch("x ^ 2.5", Map.of("x", x), () -> F.pow(x, 2.5));
        assertShape(F.pow(x, 2.5), 2, 3);
    }

    @Test
    void divGradientOfTheDenominatorInAChain() {
        // (a / b) / b checks that Div's saved output is the one of its own call.
        Tensor a = leaf(12, 3, 4);
        Tensor b = positiveLeaf(13, 4);
        assertGradientsMatch("(a/b)/b", Map.of("a", a, "b", b), () -> F.div(F.div(a, b), b));
    }
}

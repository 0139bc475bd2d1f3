package dev.dendrite.ops;

import static dev.dendrite.ops.TestTensors.assertShape;
import static dev.dendrite.ops.TestTensors.assertGradientsMatch;
import static dev.dendrite.ops.TestTensors.scaledLeaf;

import dev.dendrite.tensor.Tensor;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Gradient checks of matmul (NumPy semantics, broadcast batches, rank-1 promotion) and gemm. */
class LinalgGradTest {

    static Stream<Arguments> matmulShapes() {
        return Stream.of(
                Arguments.of("2D", new long[] {3, 4}, new long[] {4, 5}, new long[] {3, 5}),
                Arguments.of("batched 3D", new long[] {2, 3, 4}, new long[] {2, 4, 5}, new long[] {2, 3, 5}),
                Arguments.of("3D x 2D", new long[] {2, 3, 4}, new long[] {4, 5}, new long[] {2, 3, 5}),
                Arguments.of("2D x 3D", new long[] {3, 4}, new long[] {2, 4, 5}, new long[] {2, 3, 5}),
                Arguments.of("broadcast batch", new long[] {2, 1, 3, 4}, new long[] {5, 4, 2},
                        new long[] {2, 5, 3, 2}),
                Arguments.of("vector x matrix", new long[] {4}, new long[] {4, 3}, new long[] {3}),
                Arguments.of("matrix x vector", new long[] {3, 4}, new long[] {4}, new long[] {3}),
                Arguments.of("vector x vector", new long[] {4}, new long[] {4}, new long[] {}),
                Arguments.of("batched x vector", new long[] {2, 3, 4}, new long[] {4}, new long[] {2, 3}),
                Arguments.of("vector x batched", new long[] {4}, new long[] {2, 4, 3}, new long[] {2, 3}),
                Arguments.of("single row", new long[] {1, 4}, new long[] {4, 1}, new long[] {1, 1}));
    }

    @ParameterizedTest(name = "matmul {0}")
    @MethodSource("matmulShapes")
    void matmulGradient(String label, long[] sa, long[] sb, long[] expected) {
        Tensor a = scaledLeaf(31, 0.3, sa);
        Tensor b = scaledLeaf(32, 0.3, sb);
        assertShape(F.matmul(a, b), expected);
        assertGradientsMatch("matmul " + label, Map.of("a", a, "b", b), () -> F.matmul(a, b));
    }

    static Stream<Arguments> gemmCases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (long[] c : new long[][] {null, {5}, {1, 5}, {3, 5}, {3, 1}}) {
                    cases.add(Arguments.of(ta, tb, c));
                }
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "gemm transA={0} transB={1} C={2}")
    @MethodSource("gemmCases")
    void gemmGradient(boolean transA, boolean transB, long[] cShape) {
        // Y[3,5] = 0.7 · op(A) · op(B) + 1.3 · C
        Tensor a = transA ? scaledLeaf(33, 0.3, 4, 3) : scaledLeaf(33, 0.3, 3, 4);
        Tensor b = transB ? scaledLeaf(34, 0.3, 5, 4) : scaledLeaf(34, 0.3, 4, 5);
        Tensor c = cShape == null ? null : scaledLeaf(35, 0.3, cShape);
        assertShape(F.gemm(a, b, c, 0.7, 1.3, transA, transB), 3, 5);
        Map<String, Tensor> leaves = c == null ? Map.of("A", a, "B", b) : Map.of("A", a, "B", b, "C", c);
        assertGradientsMatch("gemm", leaves, () -> F.gemm(a, b, c, 0.7, 1.3, transA, transB));
    }

    @Test
    void gemmWithUnitAlphaAndBetaMatchesMatmulPlusBias() {
        Tensor a = scaledLeaf(36, 0.3, 3, 4);
        Tensor w = scaledLeaf(37, 0.3, 5, 4);
        Tensor bias = scaledLeaf(38, 0.3, 5);
        assertGradientsMatch("linear", Map.of("x", a, "w", w, "b", bias), () -> F.linear(a, w, bias));
        TestTensors.assertValues(F.gemm(a, w, bias, 1, 1, false, true), 1e-12,
                F.add(F.matmul(a, F.transpose(w)), bias).data().dup('c').reshape(15).toDoubleVector());
    }
}

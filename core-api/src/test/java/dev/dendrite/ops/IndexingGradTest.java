package dev.dendrite.ops;

import static dev.dendrite.ops.TestTensors.assertShape;
import static dev.dendrite.ops.TestTensors.assertGradientsMatch;
import static dev.dendrite.ops.TestTensors.indices;
import static dev.dendrite.ops.TestTensors.leaf;
import static dev.dendrite.ops.TestTensors.mask;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Gradient checks of slice, gather and where: backward scatters or selects into the input's shape. */
class IndexingGradTest {

    @Test
    void sliceWithPositiveSteps() {
        Tensor x = leaf(101, 5, 6);
        Tensor y = F.slice(x, new long[] {1, 0}, new long[] {4, 6}, new long[] {0, 1}, new long[] {1, 2});
        assertShape(y, 3, 3);
        assertGradientsMatch("slice steps 1,2", Map.of("x", x),
                () -> F.slice(x, new long[] {1, 0}, new long[] {4, 6}, new long[] {0, 1}, new long[] {1, 2}));
    }

    @Test
    void sliceWithNegativeStepsAndNegativeStartsAndEnds() {
        Tensor x = leaf(102, 5, 6);
        // rows 4, 2, 0 (start -1, end before the beginning) and columns 4, 3, 2 (start -2, end -5)
        long[] starts = {-1, -2};
        long[] ends = {Long.MIN_VALUE, -5};
        long[] axes = {0, 1};
        long[] steps = {-2, -1};
        assertShape(F.slice(x, starts, ends, axes, steps), 3, 3);
        assertGradientsMatch("slice negative", Map.of("x", x), () -> F.slice(x, starts, ends, axes, steps));
    }

    @Test
    void sliceClampsOutOfRangeStartsAndEnds() {
        Tensor x = leaf(103, 4, 5);
        long[] starts = {-100, 2};
        long[] ends = {100, Long.MAX_VALUE};
        assertShape(F.slice(x, starts, ends, new long[] {0, -1}, null), 4, 3);
        assertGradientsMatch("slice clamped", Map.of("x", x), () -> F.slice(x, starts, ends, new long[] {0, -1}, null));
        assertShape(F.slice(x, new long[] {100}, new long[] {-100}, new long[] {1}, new long[] {-2}), 4, 3);
        assertGradientsMatch("slice clamped reverse", Map.of("x", x),
                () -> F.slice(x, new long[] {100}, new long[] {-100}, new long[] {1}, new long[] {-2}));
    }

    @Test
    void sliceOnlyOfTheLeadingAxesWhenAxesAreOmitted() {
        Tensor x = leaf(104, 3, 4, 2);
        assertShape(F.slice(x, new long[] {1}, new long[] {3}, null, null), 2, 4, 2);
        assertGradientsMatch("slice leading", Map.of("x", x), () -> F.slice(x, new long[] {1}, new long[] {3}, null, null));
    }

    @Test
    void sliceToAnEmptyRangeGivesAZeroGradient() {
        Tensor x = leaf(105, 5);
        Tensor y = F.slice(x, new long[] {3}, new long[] {1}, null, null);
        assertShape(y, 0);
        F.sum(F.add(F.sum(y, false), F.sum(x, false)), false).backward();
        TestTensors.assertValues(Tensor.of(x.grad()), 0, 1, 1, 1, 1, 1);
    }

    @Test
    void gatherAlongAxisZeroWithRepeatedAndNegativeIndices() {
        Tensor x = leaf(106, 4, 3);
        Tensor idx = indices(new long[] {1, -1, 1, 0, 1, -4}, 2, 3);
        assertShape(F.gather(x, idx, 0), 2, 3, 3);
        assertGradientsMatch("gather axis 0", Map.of("x", x), () -> F.gather(x, idx, 0));
    }

    @Test
    void gatherAlongAxisOneWithTwoDimensionalIndices() {
        Tensor x = leaf(107, 3, 4, 2);
        Tensor idx = indices(new long[] {3, 0, -1, 2, 2, 2}, 3, 2);
        assertShape(F.gather(x, idx, 1), 3, 3, 2, 2);
        assertGradientsMatch("gather axis 1", Map.of("x", x), () -> F.gather(x, idx, 1));
        assertGradientsMatch("gather axis -1", Map.of("x", x), () -> F.gather(x, indices(new long[] {1, 1, 0}, 3), -1));
    }

    @Test
    void gatherWithScalarAndInt32Indices() {
        Tensor x = leaf(108, 3, 4);
        Tensor scalar = Tensor.of(Nd4j.scalar(2L));
        assertShape(F.gather(x, scalar, 1), 3);
        assertGradientsMatch("gather scalar index", Map.of("x", x), () -> F.gather(x, scalar, 1));
        Tensor int32 = Tensor.of(Nd4j.createFromArray(2, -3, 2));
        assertGradientsMatch("gather int32", Map.of("x", x), () -> F.gather(x, int32, 0));
    }

    @Test
    void gatherBackwardSumsThousandsOfRepeatedIndicesExactly() {
        // Regression: scatter_add without its lock flag split the rows between threads, and rows with the
        // same index raced, losing updates.
        Tensor x = Tensor.leaf(Nd4j.zeros(DataType.DOUBLE, 3, 256));
        long[] idx = new long[20000];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i % 2;
        }
        F.sum(F.gather(x, Tensor.of(Nd4j.createFromArray(idx)), 0), false).backward();
        INDArray expected = Nd4j.zeros(DataType.DOUBLE, 3, 256);
        expected.getRow(0).assign(10000.0);
        expected.getRow(1).assign(10000.0);
        Compare.assertBitEqual("gradient of x", x.grad(), expected);
    }

    @Test
    void whereWithABroadcastCondition() {
        Tensor a = leaf(109, 2, 3);
        Tensor b = leaf(110, 3);
        Tensor cond = mask(new boolean[] {true, false}, 2, 1);
        assertShape(F.where(cond, a, b), 2, 3);
        assertGradientsMatch("where broadcast cond", Map.of("a", a, "b", b), () -> F.where(cond, a, b));
        Tensor c3 = mask(new boolean[] {false, true, true}, 3);
        assertGradientsMatch("where row cond", Map.of("a", a, "b", b), () -> F.where(c3, a, b));
    }

    @Test
    void whereDoesNotLeakInfinityOfTheBranchNotTaken() {
        Tensor x = leaf(111, 3);
        Tensor cond = mask(new boolean[] {true, false, true}, 3);
        Tensor inf = Tensor.of(Nd4j.valueArrayOf(new long[] {3}, Double.POSITIVE_INFINITY, DataType.DOUBLE));
        F.sum(F.where(cond, F.exp(x), inf), false).backward();
        for (int i = 0; i < 3; i++) {
            double expected = i == 1 ? 0 : Math.exp(x.data().getDouble(i));
            assertEquals(expected, x.grad().getDouble(i), 1e-12);
        }
    }
}

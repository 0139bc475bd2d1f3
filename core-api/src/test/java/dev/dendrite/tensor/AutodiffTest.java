package dev.dendrite.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.ops.F;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The tape's contract: seeding, accumulation, freeing, grad mode, detach, dtypes, shared subgraphs. */
class AutodiffTest {

    private static Tensor leaf(double... values) {
        return Tensor.leaf(Nd4j.createFromArray(values));
    }

    private static void assertGrad(Tensor leaf, double... expected) {
        assertArrayEquals(expected, leaf.grad().toDoubleVector(), 1e-12);
    }

    @Test
    void backwardWithoutSeedOnANonScalarThrowsNamingTheShape() {
        Tensor y = F.mul(leaf(1, 2, 3), 2.0);
        ShapeException e = assertThrows(ShapeException.class, y::backward);
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
        assertTrue(e.getMessage().contains("[3]"), e.getMessage());
        assertTrue(e.getMessage().contains("backward(seed)"), e.getMessage());
    }

    @Test
    void backwardWithASeedOnANonScalar() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = F.mul(x, x);
        y.backward(Nd4j.createFromArray(1.0, 0.5, -1.0));
        assertGrad(x, 2, 2, -6);
    }

    @Test
    void backwardWithASeedOfTheWrongShapeOrDtype() {
        Tensor y = F.mul(leaf(1, 2, 3), 2.0);
        ShapeException shape = assertThrows(ShapeException.class, () -> y.backward(Nd4j.ones(DataType.DOUBLE, 2)));
        assertTrue(shape.getMessage().contains("[2]") && shape.getMessage().contains("[3]"), shape.getMessage());
        ShapeException type = assertThrows(ShapeException.class, () -> y.backward(Nd4j.ones(DataType.FLOAT, 3)));
        assertTrue(type.getMessage().contains("FLOAT"), type.getMessage());
    }

    @Test
    void aLeafUsedTwiceInOneGraphGetsBothContributions() {
        Tensor x = leaf(3, -1);
        F.sum(F.mul(x, x), false).backward();
        assertGrad(x, 6, -2);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroGrad() {
        Tensor x = leaf(1, 2);
        F.sum(F.mul(x, 3.0), false).backward();
        assertGrad(x, 3, 3);
        F.sum(F.mul(x, x), false).backward();
        assertGrad(x, 5, 7);
        x.zeroGrad();
        assertNull(x.grad());
        F.sum(x, false).backward();
        assertGrad(x, 1, 1);
    }

    @Test
    void theGraphIsFreedAfterBackward() {
        Tensor x = leaf(1, 2);
        Tensor loss = F.sum(F.tanh(x), false);
        loss.backward();
        DendriteException e = assertThrows(DendriteException.class, loss::backward);
        assertTrue(e.getMessage().contains("freed"), e.getMessage());
    }

    @Test
    void aSecondBackwardThroughAFreedSubgraphThrows() {
        Tensor x = leaf(1, 2);
        Tensor h = F.tanh(x);
        F.sum(h, false).backward();
        // A new root over the old intermediate: its own node is fresh, the one below it is freed.
        Tensor again = F.sum(F.mul(h, 2.0), false);
        DendriteException e = assertThrows(DendriteException.class, again::backward);
        assertTrue(e.getMessage().contains("freed"), e.getMessage());
    }

    @Test
    void gradModeOffRecordsNothing() {
        Tensor x = leaf(1, 2);
        Tensor y;
        try (GradMode.Scope s = GradMode.off()) {
            assertFalse(GradMode.isEnabled());
            y = F.mul(F.exp(x), x);
        }
        assertTrue(GradMode.isEnabled(), "the scope restores the previous mode");
        assertFalse(y.requiresGrad());
        assertTrue(y.isLeaf());
        assertThrows(DendriteException.class, () -> F.sum(y, false).backward());
    }

    @Test
    void nestedGradModeScopesRestoreInOrder() {
        try (GradMode.Scope off = GradMode.off()) {
            try (GradMode.Scope on = GradMode.on()) {
                assertTrue(F.mul(leaf(1), 2.0).requiresGrad());
            }
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void detachCutsTheGraphButKeepsTheValues() {
        Tensor x = leaf(1, 2);
        Tensor h = F.mul(x, 3.0);
        Tensor d = h.detach();
        assertFalse(d.requiresGrad());
        assertSame(h.data(), d.data());
        // loss = sum(x · detach(3x)): only the direct path counts, d(loss)/dx = 3x
        F.sum(F.mul(x, d), false).backward();
        assertGrad(x, 3, 6);
    }

    @Test
    void integerOutputsDoNotRequireGrad() {
        Tensor x = leaf(1.5, 2.5);
        Tensor i = F.cast(x, DataType.INT64);
        assertFalse(i.requiresGrad());
        Tensor f = F.cast(x, DataType.FLOAT);
        assertTrue(f.requiresGrad());
    }

    @Test
    void onlyFloatingTensorsCanBeLeaves() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.leaf(Nd4j.createFromArray(1, 2)));
        assertTrue(e.getMessage().contains("INT"), e.getMessage());
    }

    @Test
    void aDiamondGraphSumsBothPaths() {
        // x -> a = x², b = 3x -> a + b: d/dx = 2x + 3
        Tensor x = leaf(1, -2, 0.5);
        Tensor a = F.mul(x, x);
        Tensor b = F.mul(x, 3.0);
        F.sum(F.add(a, b), false).backward();
        assertGrad(x, 5, -1, 4);
    }

    @Test
    void aDeepDiamondWithASharedIntermediate() {
        // h = tanh(x) feeds both branches; y = h·h + exp(h): dy/dx = (2h + e^h)(1 − h²)
        Tensor x = leaf(0.3, -0.7);
        Tensor h = F.tanh(x);
        F.sum(F.add(F.mul(h, h), F.exp(h)), false).backward();
        for (int i = 0; i < 2; i++) {
            double hv = Math.tanh(x.data().getDouble(i));
            assertEquals((2 * hv + Math.exp(hv)) * (1 - hv * hv), x.grad().getDouble(i), 1e-12);
        }
    }

    @Test
    void constantsGetNoGradient() {
        Tensor x = leaf(1, 2);
        Tensor c = Tensor.of(Nd4j.createFromArray(5.0, 6.0));
        F.sum(F.mul(x, c), false).backward();
        assertNull(c.grad());
        assertGrad(x, 5, 6);
    }

    @Test
    void backwardOnALeafAccumulatesACopyOfTheSeed() {
        Tensor x = leaf(1, 2);
        INDArray seed = Nd4j.createFromArray(4.0, 5.0);
        x.backward(seed);
        assertNotSame(seed, x.grad());
        seed.muli(0);
        assertGrad(x, 4, 5);
    }

    @Test
    void backwardOfATensorThatNeedsNoGradientThrows() {
        Tensor c = Tensor.of(Nd4j.createFromArray(1.0));
        DendriteException e = assertThrows(DendriteException.class, c::backward);
        assertTrue(e.getMessage().contains("does not require a gradient"), e.getMessage());
    }

    @Test
    void backwardFromOneOutputOfAMultiOutputOp() {
        Tensor x = leaf(1, 2, 3, 4);
        Tensor[] parts = F.split(x, 0, 3, 1);
        F.sum(F.mul(parts[0], parts[0]), false).backward();
        assertGrad(x, 2, 4, 6, 0);
    }

    @Test
    void aLeafThatIsAlsoTheLossRoot() {
        Tensor x = Tensor.leaf(Nd4j.scalar(2.0));
        x.backward();
        assertEquals(1.0, x.grad().getDouble(0));
        assertTrue(x.isLeaf());
        assertEquals(2.0, x.item());
    }

    @Test
    void itemOnANonScalarThrows() {
        ShapeException e = assertThrows(ShapeException.class, () -> leaf(1, 2).item());
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void float32GraphsBackpropagateInFloat32() {
        Tensor x = Tensor.leaf(Nd4j.createFromArray(1f, 2f));
        F.sum(F.mul(x, x), false).backward();
        assertEquals(DataType.FLOAT, x.grad().dataType());
        assertArrayEquals(new double[] {2, 4}, x.grad().toDoubleVector(), 1e-6);
    }
}

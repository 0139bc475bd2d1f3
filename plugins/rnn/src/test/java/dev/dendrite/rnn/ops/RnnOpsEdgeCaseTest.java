package dev.dendrite.rnn.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Empty time and batch dimensions, which inputs get gradients, and that inputs are left untouched. */
class RnnOpsEdgeCaseTest {
    private static final DataType F64 = DataType.DOUBLE;

    @Test
    void zeroStepsGiveEmptyYAndZeroFinalState() {
        Tensor h0 = Tensor.leaf(Nd4j.ones(F64, 2, 3, 4));
        Tensor x = Tensor.leaf(Nd4j.zeros(F64, 0, 3, 5));
        Tensor[] out = new GruOp(Direction.BIDIRECTIONAL, 4, false, true).apply(x,
                Tensor.leaf(Nd4j.ones(F64, 2, 12, 5)), Tensor.leaf(Nd4j.ones(F64, 2, 12, 4)),
                Tensor.leaf(Nd4j.ones(F64, 2, 24)), h0);
        assertArrayEquals(new long[] {0, 2, 3, 4}, out[0].shape());
        assertArrayEquals(new long[] {2, 3, 4}, out[1].shape());
        assertEquals(0.0, Compare.maxAbs("final state", out[1].data()));
        F.sum(out[1], false).backward();
        assertEquals(0.0, Compare.maxAbs("gradient of h0", h0.grad()));
        assertArrayEquals(new long[] {0, 3, 5}, x.grad().shape());
    }

    @Test
    void emptyBatch() {
        Tensor[] out = new RnnOp(Direction.REVERSE, 4, "Relu", true, false).apply(Tensor.of(Nd4j.zeros(F64, 6, 0, 5)),
                Tensor.of(Nd4j.ones(F64, 1, 4, 5)), Tensor.of(Nd4j.ones(F64, 1, 4, 4)), Tensor.of(Nd4j.ones(F64, 1, 8)),
                Tensor.of(Nd4j.zeros(DataType.INT, 0)));
        assertArrayEquals(new long[] {6, 1, 0, 4}, out[0].shape());
        assertArrayEquals(new long[] {1, 0, 4}, out[1].shape());
    }

    /** Only inputs that require a gradient get one; X and the weights are not modified by forward or backward. */
    @Test
    void gradientsOnlyWhereRequiredAndInputsUntouched() {
        Tensor x = Tensor.of(RnnOpsGradientTest.normal(F64, 31, 1, 4, 2, 3));
        Tensor w = Tensor.of(RnnOpsGradientTest.normal(F64, 32, 0.5, 1, 15, 3));
        Tensor r = Tensor.leaf(RnnOpsGradientTest.normal(F64, 33, 0.5, 1, 15, 5));
        Tensor b = Tensor.of(RnnOpsGradientTest.normal(F64, 34, 0.5, 1, 30));
        Tensor h0 = Tensor.of(RnnOpsGradientTest.normal(F64, 35, 0.5, 1, 2, 5));
        var before = new org.nd4j.linalg.api.ndarray.INDArray[] {x.data().dup(), w.data().dup(), r.data().dup(),
                b.data().dup(), h0.data().dup()};
        Tensor[] out = new GruOp(Direction.REVERSE, 5, true, true).apply(x, w, r, b,
                Tensor.of(Nd4j.createFromArray(3L, 0L)), h0);
        F.add(F.sum(out[0], false), F.sum(out[1], false)).backward();
        assertNotNull(r.grad());
        assertNull(x.grad());
        assertNull(h0.grad());
        Tensor[] all = {x, w, r, b, h0};
        for (int i = 0; i < all.length; i++) {
            Compare.assertBitEqual("input " + i + " (must not be modified)", all[i].data(), before[i]);
        }
    }
}

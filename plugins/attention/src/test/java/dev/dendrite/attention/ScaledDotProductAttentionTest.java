package dev.dendrite.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.testkit.GradCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The attention primitive against a plain composition of F.matmul and F.softmax, on both of its kernels
 * (libnd4j's dot_product_attention and the fused one), and its gradients against finite differences.
 */
class ScaledDotProductAttentionTest {
    private static final long[] Q = {2, 3, 4, 5};
    private static final long[] K = {2, 3, 6, 5};
    private static final long[] V = {2, 3, 6, 4};

    private static Tensor[] run(boolean allowNative, boolean expectNative, Tensor q, Tensor k, Tensor v, Tensor mask,
            boolean causal, double scale, double dropout) {
        ScaledDotProductAttention f = new ScaledDotProductAttention(causal, scale, dropout, 42, false, allowNative);
        Tensor[] y = mask == null ? f.apply(q, k, v) : f.apply(q, k, v, mask);
        assertEquals(expectNative, f.ranNative(), "kernel choice");
        return y;
    }

    private static void gradCheck(String label, boolean allowNative, boolean expectNative, Tensor q, Tensor k,
            Tensor v, Tensor mask, boolean causal, double scale, double dropout) {
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("q", q);
        leaves.put("k", k);
        leaves.put("v", v);
        if (mask != null && mask.requiresGrad()) {
            leaves.put("mask", mask);
        }
        GradCheck.Result r = GradCheck.check(label, leaves,
                () -> run(allowNative, expectNative, q, k, v, mask, causal, scale, dropout)[0]);
        System.out.println(label + ": worst relative gradient error " + r.worst());
    }

    @Test
    void bothKernelsMatchTheComposedReferenceWithoutMask() {
        Tensor q = TestData.leaf(1, Q);
        Tensor k = TestData.leaf(2, K);
        Tensor v = TestData.leaf(3, V);
        for (double scale : new double[] {1 / Math.sqrt(5), 0.3}) {
            try (var off = GradMode.off()) {
                INDArray ref = TestData.reference(q, k, v, null, scale).data();
                INDArray nat = run(true, true, q, k, v, null, false, scale, 0)[0].data();
                INDArray fused = run(false, false, q, k, v, null, false, scale, 0)[0].data();
                assertArrayEquals(new long[] {2, 3, 4, 4}, nat.shape());
                Compare.assertClose("native vs reference", nat, ref, 1e-12);
                Compare.assertClose("fused vs reference", fused, ref, 1e-12);
            }
        }
    }

    @Test
    void keyPaddingRunsNativelyAndMatches() {
        Tensor q = TestData.leaf(1, Q);
        Tensor k = TestData.leaf(2, K);
        Tensor v = TestData.leaf(3, V);
        Tensor pad = TestData.bool(new long[] {2, 1, 1, 6}, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0);
        try (var off = GradMode.off()) {
            INDArray ref = TestData.reference(q, k, v, TestData.bias(pad, DataType.DOUBLE), 0.5).data();
            INDArray nat = run(true, true, q, k, v, pad, false, 0.5, 0)[0].data();
            INDArray fused = run(false, false, q, k, v, pad, false, 0.5, 0)[0].data();
            Compare.assertClose("native vs reference", nat, ref, 1e-12);
            Compare.assertClose("fused vs reference", fused, ref, 1e-12);
        }
        gradCheck("sdpa native key padding", true, true, q, k, v, pad, false, 1 / Math.sqrt(5), 0);
        gradCheck("sdpa fused key padding", false, false, q, k, v, pad, false, 1 / Math.sqrt(5), 0);
    }

    @Test
    void gradientsWithoutMaskOnBothKernels() {
        Tensor q = TestData.leaf(4, Q);
        Tensor k = TestData.leaf(5, K);
        Tensor v = TestData.leaf(6, V);
        gradCheck("sdpa native", true, true, q, k, v, null, false, 1 / Math.sqrt(5), 0);
        gradCheck("sdpa native scale 0.3", true, true, q, k, v, null, false, 0.3, 0);
        gradCheck("sdpa fused", false, false, q, k, v, null, false, 0.3, 0);
        Tensor q3 = TestData.leaf(7, 3, 4, 5);
        Tensor k3 = TestData.leaf(8, 3, 6, 5);
        Tensor v3 = TestData.leaf(9, 3, 6, 2);
        gradCheck("sdpa native rank 3", true, true, q3, k3, v3, null, false, 1 / Math.sqrt(5), 0);
    }

    @Test
    void causalMatchesReferenceAndGradients() {
        Tensor q = TestData.leaf(10, 2, 3, 5, 4);
        Tensor k = TestData.leaf(11, 2, 3, 5, 4);
        Tensor v = TestData.leaf(12, 2, 3, 5, 3);
        INDArray tri = Nd.causal(DataType.DOUBLE, 5, 5);
        try (var off = GradMode.off()) {
            INDArray ref = TestData.reference(q, k, v, Tensor.of(tri), 0.5).data();
            INDArray y = run(true, false, q, k, v, null, true, 0.5, 0)[0].data();
            Compare.assertClose("causal vs reference", y, ref, 1e-12);
            // The first query sees only the first key: its output is v's first row.
            Compare.assertClose("first query", y.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0)),
                    v.data().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0)), 1e-12);
        }
        gradCheck("sdpa causal", true, false, q, k, v, null, true, 0.5, 0);
    }

    @Test
    void additiveFloatMaskReceivesItsGradient() {
        Tensor q = TestData.leaf(13, Q);
        Tensor k = TestData.leaf(14, K);
        Tensor v = TestData.leaf(15, V);
        Tensor bias = TestData.leaf(16, 3, 4, 6); // broadcast over the batch, e.g. a learned relative-position bias
        try (var off = GradMode.off()) {
            INDArray ref = TestData.reference(q, k, v, bias, 0.4).data();
            Compare.assertClose("additive mask vs reference", run(true, false, q, k, v, bias, false, 0.4, 0)[0].data(),
                    ref, 1e-12);
        }
        gradCheck("sdpa additive mask", true, false, q, k, v, bias, false, 0.4, 0);
        Tensor boolMask = TestData.bool(new long[] {4, 6}, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0,
                0, 0, 1);
        gradCheck("sdpa bool [Lq, Lk] mask with causal", true, false, q, k, v, boolMask, true, 0.4, 0);
    }

    @Test
    void dropoutIsSeededAndDifferentiable() {
        Tensor q = TestData.leaf(17, Q);
        Tensor k = TestData.leaf(18, K);
        Tensor v = TestData.leaf(19, V);
        try (var off = GradMode.off()) {
            INDArray a = run(true, false, q, k, v, null, false, 0.4, 0.3)[0].data();
            INDArray b = run(true, false, q, k, v, null, false, 0.4, 0.3)[0].data();
            INDArray none = run(true, true, q, k, v, null, false, 0.4, 0)[0].data();
            Compare.assertBitEqual("same seed, same dropout", b, a);
            assertTrue(Compare.maxAbsDiff("dropout vs none", a, none) > 0, "dropout changes the output");
        }
        gradCheck("sdpa dropout", true, false, q, k, v, null, false, 0.4, 0.3);
    }

    @Test
    void aFullyMaskedQueryAttendsToNothing() {
        Tensor q = TestData.leaf(20, 1, 2, 3);
        Tensor k = TestData.leaf(21, 1, 3, 3);
        Tensor v = TestData.leaf(22, 1, 3, 2);
        Tensor mask = TestData.bool(new long[] {2, 3}, 1, 1, 1, 0, 1, 0);
        try (var off = GradMode.off()) {
            INDArray y = AttentionF.scaledDotProductAttention(q, k, v, mask, false, Double.NaN).data();
            assertEquals(0.0, Compare.maxAbs("the dead query's output", y.slice(0).getRow(0)));
            assertFalse(Double.isNaN(y.sumNumber().doubleValue()));
        }
        gradCheck("sdpa dead row", true, false, q, k, v, mask, false, 0.5, 0);
        // A batch row whose keys are all padding goes the fused way (libnd4j would average the values).
        Tensor pad = TestData.bool(new long[] {1, 1, 3}, 1, 1, 1);
        try (var off = GradMode.off()) {
            assertEquals(0.0, Compare.maxAbs("all-padding output", run(true, false, q, k, v, pad, false, 0.5, 0)[0]
                    .data()));
        }
    }

    @Test
    void emptyBatchGivesAnEmptyOutputAndGradients() {
        Tensor q = TestData.leaf(1, 0, 2, 4, 5);
        Tensor k = TestData.leaf(2, 0, 2, 6, 5);
        Tensor v = TestData.leaf(3, 0, 2, 6, 3);
        Tensor y = AttentionF.scaledDotProductAttention(q, k, v, null, true, Double.NaN);
        assertArrayEquals(new long[] {0, 2, 4, 3}, y.shape());
        dev.dendrite.ops.F.sum(y, false).backward();
        assertArrayEquals(new long[] {0, 2, 6, 5}, k.grad().shape());
    }

    @Test
    void weightsOutputIsTheSoftmax() {
        Tensor q = TestData.leaf(23, Q);
        Tensor k = TestData.leaf(24, K);
        Tensor v = TestData.leaf(25, V);
        Tensor[] yw = AttentionF.scaledDotProductAttentionWithWeights(q, k, v, null, false, Double.NaN, 0, 0);
        assertArrayEquals(new long[] {2, 3, 4, 6}, yw[1].shape());
        INDArray rows = yw[1].data().sum(3);
        Compare.assertClose("weight row sums", rows, Nd4j.onesLike(rows), 1e-12);
        Map<String, Tensor> leaves = new LinkedHashMap<>(Map.of("q", q, "k", k, "v", v));
        // Both outputs feed the loss: the weights' gradient must reach q and k.
        GradCheck.check("sdpa weights", leaves, () -> {
            Tensor[] r = AttentionF.scaledDotProductAttentionWithWeights(q, k, v, null, false, Double.NaN, 0, 0);
            return dev.dendrite.ops.F.add(dev.dendrite.ops.F.sum(r[0], false), dev.dendrite.ops.F.sum(
                    dev.dendrite.ops.F.mul(r[1], r[1]), false));
        });
    }

    @Test
    void badInputIsRefusedWithTheShapes() {
        Tensor q = TestData.leaf(1, Q);
        Tensor k = TestData.leaf(2, K);
        Tensor v = TestData.leaf(3, V);
        assertEquals("scaled_dot_product_attention: k's feature size must equal q's (d = 5), got q [2, 3, 4, 5], "
                + "k [2, 3, 6, 4], v [2, 3, 6, 4]", assertThrows(ShapeException.class,
                        () -> AttentionF.scaledDotProductAttention(q, v, v, null, false, Double.NaN)).getMessage());
        assertEquals("scaled_dot_product_attention: v must have one row per key (Lk = 6), got q [2, 3, 4, 5], "
                + "k [2, 3, 6, 5], v [2, 3, 4, 5]", assertThrows(ShapeException.class,
                        () -> AttentionF.scaledDotProductAttention(q, k, q, null, false, Double.NaN)).getMessage());
        Tensor badMask = TestData.bool(new long[] {2, 5}, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertEquals("scaled_dot_product_attention: mask [2, 5] does not broadcast to the attention scores "
                + "[2, 3, 4, 6] [..., Lq, Lk]", assertThrows(ShapeException.class,
                        () -> AttentionF.scaledDotProductAttention(q, k, v, badMask, false, Double.NaN)).getMessage());
        Tensor q3 = TestData.leaf(1, 2, 4, 5);
        assertEquals("scaled_dot_product_attention: expected q [..., Lq, d], k [..., Lk, d], v [..., Lk, dv] of one "
                + "rank >= 2, got q [2, 4, 5], k [2, 3, 6, 5], v [2, 3, 6, 4]", assertThrows(ShapeException.class,
                        () -> AttentionF.scaledDotProductAttention(q3, k, v, null, false, Double.NaN)).getMessage());
        Tensor intMask = Tensor.of(Nd4j.zeros(DataType.INT32, 4, 6));
        assertEquals("scaled_dot_product_attention: the mask must be bool (true = masked) or DOUBLE (an additive "
                + "bias), got INT", assertThrows(ShapeException.class,
                        () -> AttentionF.scaledDotProductAttention(q, k, v, intMask, false, Double.NaN)).getMessage());
    }
}

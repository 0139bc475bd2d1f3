package dev.dendrite.onnxbridge.ops.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.onnx.OnnxImportException;
import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OnnxImporter;
import dev.dendrite.onnxbridge.proto.AttributeProto;
import dev.dendrite.onnxbridge.proto.GraphProto;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.NodeProto;
import dev.dendrite.onnxbridge.proto.OperatorSetIdProto;
import dev.dendrite.onnxbridge.proto.TypeProto;
import dev.dendrite.onnxbridge.proto.ValueInfoProto;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import dev.dendrite.testkit.GradCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The Attention converter imported from one-node models: gradients, semantics the node tests miss, bad input. */
class AttentionConverterTest {
    private static final String NODE = "attn_node";
    private static final int FLOAT = 1;
    private static final int BOOL = 9;
    private static final int INT32 = 6;
    private static final int INT64 = 7;
    private static final int DOUBLE = 11;
    private static final String[] INPUTS = {"Q", "K", "V", "attn_mask", "past_key", "past_value", "nonpad_kv_seqlen"};
    private static final String[] OUTPUTS = {"Y", "present_key", "present_value", "qk_matmul_output"};

    // ---- building one-node models ----

    private static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto floatAttr(String name, double v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF((float) v)
                .build();
    }

    private static ValueInfoProto value(String name, int elemType) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType))).build();
    }

    /**
     * An Attention node fed by graph inputs: {@code inputTypes[i]} is the element type of input i, 0 for an
     * omitted optional input; outputs likewise (0 = not asked for).
     */
    private static ImportedModel model(int opset, int[] inputTypes, int[] outputTypes, AttributeProto... attrs) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType("Attention").setName(NODE);
        GraphProto.Builder g = GraphProto.newBuilder().setName("g");
        for (int i = 0; i < inputTypes.length; i++) {
            node.addInput(inputTypes[i] == 0 ? "" : INPUTS[i]);
            if (inputTypes[i] != 0) {
                g.addInput(value(INPUTS[i], inputTypes[i]));
            }
        }
        for (int i = 0; i < outputTypes.length; i++) {
            node.addOutput(outputTypes[i] == 0 ? "" : OUTPUTS[i]);
            if (outputTypes[i] != 0) {
                g.addOutput(value(OUTPUTS[i], outputTypes[i]));
            }
        }
        for (AttributeProto a : attrs) {
            node.addAttribute(a);
        }
        g.addNode(node);
        ModelProto m = ModelProto.newBuilder().setIrVersion(10).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
        return new OnnxImporter().importModel(m, null);
    }

    private static int[] types(int t, int n) {
        int[] r = new int[n];
        Arrays.fill(r, t);
        return r;
    }

    private static INDArray normal(long seed, double scale, long... shape) {
        Random r = new Random(seed);
        int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * r.nextGaussian();
        }
        return Nd4j.createFromArray(v).reshape('c', shape);
    }

    private static Tensor leaf(long seed, long... shape) {
        return Tensor.leaf(normal(seed, 0.7, shape));
    }

    private static Tensor[] run(ImportedModel m, Tensor... xs) {
        try (var off = GradMode.off()) {
            return m.run(xs);
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol) {
        Compare.assertClose("attention output", actual, expected, tol);
    }

    // ---- gradients ----

    @Test
    void gradientsOf3dGroupedQueryAttentionWithMaskCausalSoftcapAndPast() {
        // 4 q heads over 2 kv heads of size 2, V heads of size 3; 2 past + 2 new keys; the 3-wide mask is
        // padded with -inf to 4 keys; causal is aligned after the past.
        ImportedModel m = model(23, types(DOUBLE, 6), new int[] {DOUBLE, DOUBLE, DOUBLE},
                intAttr("q_num_heads", 4), intAttr("kv_num_heads", 2), intAttr("is_causal", 1),
                floatAttr("softcap", 1.5));
        Tensor q = leaf(1, 1, 3, 8);
        Tensor k = leaf(2, 1, 2, 4);
        Tensor v = leaf(3, 1, 2, 6);
        Tensor mask = leaf(4, 3, 3);
        Tensor pk = leaf(5, 1, 2, 2, 2);
        Tensor pv = leaf(6, 1, 2, 2, 3);
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("Q", q);
        leaves.put("K", k);
        leaves.put("V", v);
        leaves.put("attn_mask", mask);
        leaves.put("past_key", pk);
        leaves.put("past_value", pv);
        GradCheck.check("attention 3-D GQA", leaves, () -> m.run(q, k, v, mask, pk, pv)[0]);
        Tensor[] out = run(m, q, k, v, mask, pk, pv);
        assertArrayEquals(new long[] {1, 3, 12}, out[0].shape());
        assertArrayEquals(new long[] {1, 2, 4, 2}, out[1].shape());
        assertArrayEquals(new long[] {1, 2, 4, 3}, out[2].shape());
        assertEquals(DataType.DOUBLE, out[0].dtype());
    }

    @Test
    void gradientsOf4dAttentionThroughOutputAndProbabilities() {
        ImportedModel m = model(23, new int[] {DOUBLE, DOUBLE, DOUBLE, BOOL}, new int[] {DOUBLE, 0, 0, DOUBLE},
                intAttr("qk_matmul_output_mode", 3), floatAttr("scale", 0.4));
        Tensor q = leaf(11, 2, 2, 3, 4);
        Tensor k = leaf(12, 2, 2, 5, 4);
        Tensor v = leaf(13, 2, 2, 5, 2);
        boolean[] allowed = {true, false, true, true, false, true, true, true, true, false, false, true, true, true, true};
        Tensor mask = Tensor.of(Nd4j.createFromArray(allowed).reshape('c', new long[] {3, 5}));
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("Q", q);
        leaves.put("K", k);
        leaves.put("V", v);
        GradCheck.check("attention 4-D", leaves, () -> {
            Tensor[] out = m.run(q, k, v, mask);
            return F.concat(0, F.reshape(out[0], -1), F.reshape(out[1], -1));
        });
        Tensor probs = run(m, q, k, v, mask)[1];
        assertArrayEquals(new long[] {2, 2, 3, 5}, probs.shape());
        assertEquals(0.0, probs.data().getDouble(0, 1, 0, 1), 0.0, "a masked key gets no probability");
        assertClose(Nd4j.ones(DataType.DOUBLE, 2, 2, 3, 1), probs.data().sum(true, 3), 1e-12);
    }

    @Test
    void fullyMaskedRowsGiveZerosAndFiniteGradients() {
        ImportedModel m = model(23, new int[] {DOUBLE, DOUBLE, DOUBLE, BOOL}, new int[] {DOUBLE, 0, 0, DOUBLE},
                intAttr("qk_matmul_output_mode", 3));
        Tensor q = leaf(21, 1, 1, 3, 2);
        Tensor k = leaf(22, 1, 1, 4, 2);
        Tensor v = leaf(23, 1, 1, 4, 2);
        boolean[] allowed = {true, true, false, false, false, false, false, false, false, true, true, true};
        Tensor mask = Tensor.of(Nd4j.createFromArray(allowed).reshape('c', new long[] {3, 4}));
        Tensor[] out = m.run(q, k, v, mask);
        INDArray y = out[0].data();
        assertFalse(y.isNaN().any() || out[1].data().isNaN().any(), "no NaN");
        assertEquals(0.0, y.getDouble(0, 0, 1, 0), 0.0);
        assertEquals(0.0, y.getDouble(0, 0, 1, 1), 0.0);
        assertEquals(0.0, out[1].data().get(
                org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.all())
                .sumNumber().doubleValue(), 0.0);
        F.sum(out[0], false).backward();
        assertNotNull(q.grad());
        assertFalse(q.grad().isNaN().any() || k.grad().isNaN().any() || v.grad().isNaN().any(), "no NaN gradient");
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("Q", q);
        leaves.put("K", k);
        leaves.put("V", v);
        GradCheck.check("attention fully masked row", leaves, () -> m.run(q, k, v, mask)[0]);
    }

    // ---- semantics ----

    @Test
    void groupedQueryAttentionRepeatsEachKvHeadForConsecutiveQueryHeads() {
        ImportedModel gqa = model(23, types(FLOAT, 3), new int[] {FLOAT});
        INDArray q = normal(31, 1, 1, 4, 3, 2).castTo(DataType.FLOAT);
        INDArray k = normal(32, 1, 1, 2, 5, 2).castTo(DataType.FLOAT);
        INDArray v = normal(33, 1, 1, 2, 5, 3).castTo(DataType.FLOAT);
        // np.repeat(k, 2, axis=1): heads [k0, k0, k1, k1]
        INDArray kr = Nd4j.concat(1, slice(k, 0), slice(k, 0), slice(k, 1), slice(k, 1));
        INDArray vr = Nd4j.concat(1, slice(v, 0), slice(v, 0), slice(v, 1), slice(v, 1));
        INDArray y = run(gqa, Tensor.of(q), Tensor.of(k), Tensor.of(v))[0].data();
        INDArray ref = run(gqa, Tensor.of(q), Tensor.of(kr), Tensor.of(vr))[0].data();
        assertClose(ref, y, 1e-6);
    }

    private static INDArray slice(INDArray x, int head) {
        return x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(head, head + 1),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
    }

    @Test
    void nonpadKvSeqlenMasksPaddedKeysPerBatch() {
        ImportedModel padded = model(24, new int[] {FLOAT, FLOAT, FLOAT, 0, 0, 0, INT64}, new int[] {FLOAT});
        ImportedModel masked = model(24, new int[] {FLOAT, FLOAT, FLOAT, FLOAT}, new int[] {FLOAT});
        INDArray q = normal(41, 1, 2, 1, 3, 2).castTo(DataType.FLOAT);
        INDArray k = normal(42, 1, 2, 1, 5, 2).castTo(DataType.FLOAT);
        INDArray v = normal(43, 1, 2, 1, 5, 2).castTo(DataType.FLOAT);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, 2, 1, 1, 5);
        mask.putScalar(new long[] {0, 0, 0, 3}, Float.NEGATIVE_INFINITY);
        mask.putScalar(new long[] {0, 0, 0, 4}, Float.NEGATIVE_INFINITY);
        INDArray y = run(padded, Tensor.of(q), Tensor.of(k), Tensor.of(v),
                Tensor.of(Nd4j.createFromArray(3L, 5L)))[0].data();
        INDArray ref = run(masked, Tensor.of(q), Tensor.of(k), Tensor.of(v), Tensor.of(mask))[0].data();
        assertClose(ref, y, 1e-6);
    }

    @Test
    void causalWithNonpadKvSeqlenAlignsEachBatchBottomRight() {
        ImportedModel padded = model(24, new int[] {FLOAT, FLOAT, FLOAT, 0, 0, 0, INT64}, new int[] {FLOAT},
                intAttr("is_causal", 1));
        ImportedModel masked = model(24, new int[] {FLOAT, FLOAT, FLOAT, FLOAT}, new int[] {FLOAT});
        INDArray q = normal(51, 1, 2, 1, 2, 2).castTo(DataType.FLOAT);
        INDArray k = normal(52, 1, 2, 1, 4, 2).castTo(DataType.FLOAT);
        INDArray v = normal(53, 1, 2, 1, 4, 2).castTo(DataType.FLOAT);
        long[] valid = {3, 4};
        INDArray mask = Nd4j.zeros(DataType.FLOAT, 2, 1, 2, 4);
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 4; j++) {
                    // key j is visible iff j <= i + valid[b] - S, and j < valid[b]
                    if (j > i + valid[b] - 2 || j >= valid[b]) {
                        mask.putScalar(new long[] {b, 0, i, j}, Float.NEGATIVE_INFINITY);
                    }
                }
            }
        }
        INDArray y = run(padded, Tensor.of(q), Tensor.of(k), Tensor.of(v),
                Tensor.of(Nd4j.createFromArray(valid)))[0].data();
        INDArray ref = run(masked, Tensor.of(q), Tensor.of(k), Tensor.of(v), Tensor.of(mask))[0].data();
        assertClose(ref, y, 1e-6);
    }

    @Test
    void softmaxPrecisionKeepsTheInputDtype() {
        ImportedModel m = model(23, types(FLOAT, 3), new int[] {FLOAT}, intAttr("softmax_precision", DOUBLE));
        ImportedModel plain = model(23, types(FLOAT, 3), new int[] {FLOAT});
        INDArray q = normal(61, 1, 1, 2, 3, 4).castTo(DataType.FLOAT);
        INDArray k = normal(62, 1, 1, 2, 3, 4).castTo(DataType.FLOAT);
        INDArray v = normal(63, 1, 1, 2, 3, 4).castTo(DataType.FLOAT);
        Tensor y = run(m, Tensor.of(q), Tensor.of(k), Tensor.of(v))[0];
        assertEquals(DataType.FLOAT, y.dtype());
        assertClose(run(plain, Tensor.of(q), Tensor.of(k), Tensor.of(v))[0].data(), y.data(), 1e-6);
    }

    // ---- bad input ----

    private static void assertRefused(String fragment, ImportedModel m, Tensor... xs) {
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> run(m, xs));
        assertTrue(e.getMessage().contains(NODE), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static Tensor zeros(long... shape) {
        return Tensor.of(Nd4j.zeros(DataType.FLOAT, shape));
    }

    @Test
    void qHeadsThatDoNotDivideTheHiddenSizeAreRefused() {
        ImportedModel m = model(23, types(FLOAT, 3), new int[] {FLOAT}, intAttr("q_num_heads", 5),
                intAttr("kv_num_heads", 3));
        assertRefused("q_num_heads 5 does not divide Q's hidden size 24", m, zeros(2, 4, 24), zeros(2, 6, 24),
                zeros(2, 6, 24));
    }

    @Test
    void kvHeadsThatDoNotDivideTheHiddenSizeAreRefused() {
        ImportedModel m = model(23, types(FLOAT, 3), new int[] {FLOAT}, intAttr("q_num_heads", 3),
                intAttr("kv_num_heads", 5));
        assertRefused("kv_num_heads 5 does not divide K's hidden size 24", m, zeros(2, 4, 24), zeros(2, 6, 24),
                zeros(2, 6, 24));
    }

    @Test
    void kvHeadsThatDoNotDivideQHeadsAreRefused() {
        ImportedModel m = model(23, types(FLOAT, 3), new int[] {FLOAT});
        assertRefused("kv heads (2) must divide q heads (3)", m, zeros(1, 3, 4, 8), zeros(1, 2, 4, 8),
                zeros(1, 2, 4, 8));
    }

    @Test
    void threeDInputsWithoutHeadCountsAreRefused() {
        ImportedModel m = model(23, types(FLOAT, 3), new int[] {FLOAT});
        assertRefused("need the q_num_heads and kv_num_heads", m, zeros(2, 4, 24), zeros(2, 6, 24), zeros(2, 6, 24));
    }

    @Test
    void mismatchedShapesAreRefused() {
        ImportedModel m = model(23, types(FLOAT, 3), new int[] {FLOAT});
        assertRefused("do not match Q", m, zeros(1, 3, 4, 8), zeros(1, 3, 4, 6), zeros(1, 3, 4, 8));
        assertRefused("must have one rank", m, zeros(1, 3, 4, 8), zeros(1, 4, 24), zeros(1, 3, 4, 8));
        assertRefused("3-D or 4-D", m, zeros(3, 4, 8, 1, 1), zeros(3, 4, 8, 1, 1), zeros(3, 4, 8, 1, 1));
    }

    @Test
    void masksThatDoNotBroadcastAreRefused() {
        ImportedModel m = model(23, types(FLOAT, 4), new int[] {FLOAT});
        assertRefused("does not broadcast", m, zeros(1, 3, 4, 8), zeros(1, 3, 6, 8), zeros(1, 3, 6, 8),
                zeros(2, 6));
        assertRefused("covers more keys", m, zeros(1, 3, 4, 8), zeros(1, 3, 6, 8), zeros(1, 3, 6, 8), zeros(4, 7));
        Tensor intMask = Tensor.of(Nd4j.zeros(DataType.INT32, 4, 6));
        ImportedModel intMasked = model(23, new int[] {FLOAT, FLOAT, FLOAT, INT32}, new int[] {FLOAT});
        assertRefused("must be bool or floating point", intMasked, zeros(1, 3, 4, 8), zeros(1, 3, 6, 8),
                zeros(1, 3, 6, 8), intMask);
    }

    @Test
    void pastKeyWithoutPastValueIsRefused() {
        ImportedModel m = model(23, new int[] {FLOAT, FLOAT, FLOAT, 0, FLOAT}, new int[] {FLOAT});
        assertRefused("together", m, zeros(1, 3, 4, 8), zeros(1, 3, 6, 8), zeros(1, 3, 6, 8),
                zeros(1, 3, 2, 8));
    }

    @Test
    void unsupportedAttributesAndModesAreRefused() {
        Tensor[] xs = {zeros(1, 1, 2, 2), zeros(1, 1, 2, 2), zeros(1, 1, 2, 2)};
        assertRefused("qk_matmul_output_mode 4", model(23, types(FLOAT, 3), new int[] {FLOAT},
                intAttr("qk_matmul_output_mode", 4)), xs);
        assertRefused("softmax_precision 7", model(23, types(FLOAT, 3), new int[] {FLOAT},
                intAttr("softmax_precision", 7)), xs);
        assertRefused("attribute 'left_window_size' is not supported", model(23, types(FLOAT, 3),
                new int[] {FLOAT}, intAttr("left_window_size", 2)), xs);
        assertRefused("is_causal must be 0 or 1", model(23, types(FLOAT, 3), new int[] {FLOAT},
                intAttr("is_causal", 2)), xs);
    }

    @Test
    void nonpadKvSeqlenNeedsOpset24() {
        ImportedModel m = model(23, new int[] {FLOAT, FLOAT, FLOAT, 0, 0, 0, INT64}, new int[] {FLOAT});
        List<Tensor> xs = new ArrayList<>(List.of(zeros(1, 1, 2, 2), zeros(1, 1, 2, 2), zeros(1, 1, 2, 2)));
        xs.add(Tensor.of(Nd4j.createFromArray(2L)));
        assertRefused("opset 24", m, xs.toArray(Tensor[]::new));
    }
}

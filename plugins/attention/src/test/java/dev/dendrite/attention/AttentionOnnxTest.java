package dev.dendrite.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.inject.Registries;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OnnxImporter;
import dev.dendrite.onnxbridge.OrtRunner;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.onnxbridge.proto.NodeProto;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.tensor.Trace;
import dev.dendrite.testkit.Compare;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Export at opset 17 (decomposed) and 23 (one {@code Attention} node), run in ONNX Runtime, and re-import:
 * the imported model must compute the same output and the same gradients (it is trainable).
 */
class AttentionOnnxTest {
    private static final double ORT_TOL = 1e-5;
    private static final double GRAD_TOL = 1e-5;

    static List<String> ops(ModelProto m) {
        return m.getGraph().getNodeList().stream().map(NodeProto::getOpType).collect(Collectors.toList());
    }

    static INDArray eval(Layer layer, Tensor... x) {
        layer.train(false);
        try (var off = GradMode.off()) {
            return layer.forward(x).data();
        }
    }

    static INDArray ort(ModelProto m, Tensor... x) {
        try (OrtRunner ort = new OrtRunner(m)) {
            INDArray[] in = new INDArray[x.length];
            for (int i = 0; i < x.length; i++) {
                in[i] = x[i].data();
            }
            return ort.run(in)[0];
        }
    }

    private static Tensor[] floats(long seed, long[]... shapes) {
        Tensor[] t = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            t[i] = Tensor.leaf(TestData.normal(seed + i, DataType.FLOAT, shapes[i]));
        }
        return t;
    }

    /** Σ y⊙R backward through a layer; the gradients of its parameters (by name) and of its inputs. */
    private static Map<String, INDArray> grads(Layer layer, Map<String, Tensor> params, Tensor[] x) {
        layer.train(false);
        params.values().forEach(Tensor::zeroGrad);
        Tensor[] leaves = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            leaves[i] = Tensor.leaf(x[i].data().dup());
        }
        Tensor y = layer.forward(leaves);
        INDArray r = TestData.normal(99, y.dtype(), y.shape());
        F.sum(F.mul(y, Tensor.of(r)), false).backward();
        Map<String, INDArray> g = new LinkedHashMap<>();
        params.forEach((name, p) -> g.put(name, p.grad()));
        for (int i = 0; i < x.length; i++) {
            g.put("input_" + i, leaves[i].grad());
        }
        return g;
    }

    /**
     * Exports at {@code opset}, checks the node types, ONNX Runtime's output, the re-imported model's output and
     * its gradients against the original's. Returns the ORT max abs diff.
     */
    static double roundTrip(String label, Layer layer, int opset, boolean expectAttentionOp, Tensor... x) {
        INDArray ours = eval(layer, x);
        ModelProto m = OnnxExporter.export(layer, opset, x);
        List<String> ops = ops(m);
        assertEquals(expectAttentionOp, ops.contains("Attention"), label + " at opset " + opset + ": " + ops);
        if (expectAttentionOp) {
            assertFalse(ops.contains("Softmax"), label + ": one Attention node, not a decomposition: " + ops);
        }
        double ortDiff = Compare.maxAbsDiff(label + " opset " + opset + " vs ONNX Runtime", ort(m, x), ours);
        assertTrue(ortDiff <= ORT_TOL, label + " opset " + opset + ": ORT max abs diff " + ortDiff);

        ImportedModel imported = new OnnxImporter().importModel(m, null);
        INDArray back;
        try (Trace trace = Trace.start()) {
            back = eval(imported, x);
            boolean fused = trace.steps().stream()
                    .anyMatch(s -> s.function().name().equals(ScaledDotProductAttention.NAME));
            // At opset 23 the plugin's fused converter (priority 10) must win over onnx-bridge's composed one.
            assertEquals(expectAttentionOp, fused, label + ": imported Attention runs the fused primitive");
        }
        double importDiff = Compare.maxAbsDiff(label + " opset " + opset + " re-imported", back, ours);
        assertTrue(importDiff <= 1e-6, label + " opset " + opset + ": re-imported max abs diff " + importDiff);

        Map<String, Tensor> originalParams = layer.parameters();
        Map<String, Tensor> importedParams = new LinkedHashMap<>();
        for (String name : originalParams.keySet()) {
            importedParams.put(name, imported.weight(name));
            assertTrue(imported.weight(name) != null, label + ": '" + name + "' is not a trainable weight after import");
        }
        Map<String, INDArray> g0 = grads(layer, originalParams, x);
        Map<String, INDArray> g1 = grads(imported, importedParams, x);
        double worst = 0;
        for (String k : g0.keySet()) {
            String what = label + " opset " + opset + " gradient of " + k;
            double scale = Math.max(1, Compare.maxAbs(what, g0.get(k)));
            worst = Math.max(worst, Compare.maxAbsDiff(what + " after re-import", g1.get(k), g0.get(k)) / scale);
        }
        assertTrue(worst <= GRAD_TOL, label + " opset " + opset + ": gradients after re-import differ by " + worst);
        System.out.printf("%s opset %d: %s ORT %.2e, re-import %.2e, gradients %.2e%n", label, opset,
                expectAttentionOp ? "Attention" : "decomposed", ortDiff, importDiff, worst);
        return ortDiff;
    }

    @Test
    void primitiveAtOpset17And23() {
        long[] q = {2, 3, 4, 8};
        long[] kv = {2, 3, 6, 8};
        Tensor[] x = floats(1, q, kv, kv);
        INDArray pad = Nd4j.createFromArray(new boolean[] {false, false, false, true, true, false, false, false,
                false, false, false, true}).reshape(2, 1, 1, 6);
        INDArray attn = Nd4j.createFromArray(new boolean[] {false, true, false, false, false, false, false, false,
                true, false, false, false, false, false, false, true, false, false, false, false, false, true, false,
                false}).reshape(4, 6);
        for (int opset : new int[] {17, 23}) {
            boolean a = opset >= 23;
            roundTrip("no mask", new SdpaLayer(null, null, false, Double.NaN), opset, a, x);
            roundTrip("scale 0.2", new SdpaLayer(null, null, false, 0.2), opset, a, x);
            roundTrip("key padding", new SdpaLayer(pad, null, false, Double.NaN), opset, a, x);
            roundTrip("bool [Lq, Lk]", new SdpaLayer(attn, null, false, Double.NaN), opset, a, x);
            roundTrip("float bias", new SdpaLayer(null, TestData.normal(5, DataType.FLOAT, 3, 4, 6), false,
                    Double.NaN), opset, a, x);
            Tensor[] self = floats(2, q, q, q);
            roundTrip("causal", new SdpaLayer(null, null, true, Double.NaN), opset, a, self);
            Tensor[] x3 = floats(3, new long[] {2, 4, 8}, new long[] {2, 6, 8}, new long[] {2, 6, 5});
            roundTrip("rank 3", new SdpaLayer(null, null, false, Double.NaN), opset, a, x3);
        }
    }

    private static LayerContext ctx(long seed) {
        return new LayerContext(DataType.FLOAT, new Rng(seed),
                Registries.discover(AttentionOnnxTest.class.getClassLoader()).layers());
    }

    @Test
    void layersAtOpset17And23() {
        for (int opset : new int[] {17, 23}) {
            boolean a = opset >= 23;
            roundTrip("multi_head_attention", new MultiheadAttention(MultiheadAttention.Config.of(8, 2), ctx(1)),
                    opset, a, floats(4, new long[] {5, 3, 8}));
            roundTrip("transformer_encoder_layer pre-norm gelu batch-first", new TransformerEncoderLayer(
                    TransformerEncoderLayer.Config.of(8, 4, 16).withNormFirst(true).withActivation("gelu")
                            .withBatchFirst(true), ctx(2)), opset, a, floats(5, new long[] {2, 5, 8}));
            roundTrip("transformer_decoder_layer", new TransformerDecoderLayer(
                    TransformerDecoderLayer.Config.of(8, 2, 16).withBatchFirst(true), ctx(3)), opset, a,
                    floats(6, new long[] {2, 4, 8}, new long[] {2, 6, 8}));
        }
    }
}

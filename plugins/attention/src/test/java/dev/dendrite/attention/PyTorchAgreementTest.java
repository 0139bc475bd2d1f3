package dev.dendrite.attention;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.inject.Registries;
import dev.dendrite.io.NpyArchive;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Parameters;
import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OnnxImporter;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch 1.13's nn.MultiheadAttention, nn.TransformerEncoderLayer and nn.TransformerDecoderLayer (fixtures made by
 * {@code fixtures/make_attention_fixtures.py}): (a) their state_dicts load by name into our layers, which then
 * compute PyTorch's outputs; (b) their ONNX exports import with {@link OnnxImporter} and compute them too.
 */
class PyTorchAgreementTest {
    private static final double TOL = 1e-5;

    private static Map<String, INDArray> fixture(String name) throws Exception {
        try (InputStream in = PyTorchAgreementTest.class.getResourceAsStream("/fixtures/" + name + ".npz")) {
            return NpyArchive.read(in, name + ".npz");
        }
    }

    private static Map<String, INDArray> params(Map<String, INDArray> f) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        f.forEach((k, v) -> {
            if (k.startsWith("param.")) {
                p.put(k.substring(6), v);
            }
        });
        return p;
    }

    private static Tensor in(Map<String, INDArray> f, String name) {
        return Tensor.of(f.get("in." + name));
    }

    /** A 0/1 float mask from the fixture as PyTorch's bool mask (true = masked). */
    private static Tensor bool(Map<String, INDArray> f, String name) {
        return Tensor.of(f.get("in." + name).castTo(DataType.BOOL));
    }

    private static LayerContext ctx() {
        return new LayerContext(DataType.FLOAT, new Rng(1),
                Registries.discover(PyTorchAgreementTest.class.getClassLoader()).layers());
    }

    private static void close(String what, INDArray expected, Tensor actual) {
        double diff = Compare.maxAbsDiff(what + " vs PyTorch", actual.data(), expected);
        System.out.printf("%s: max abs diff vs PyTorch %.2e%n", what, diff);
        assertTrue(diff <= TOL, what + ": max abs diff vs PyTorch " + diff);
    }

    private static ImportedModel onnx(String name) throws URISyntaxException {
        Path file = Path.of(PyTorchAgreementTest.class.getResource("/fixtures/" + name + ".onnx").toURI());
        ImportedModel m = new OnnxImporter().load(file);
        m.train(false);
        return m;
    }

    private static void eval(Layer layer) {
        layer.train(false);
    }

    @Test
    void multiheadAttentionWithBothMasksAndWeights() throws Exception {
        Map<String, INDArray> f = fixture("mha_masks");
        MultiheadAttention mha = new MultiheadAttention(MultiheadAttention.Config.of(8, 2), ctx());
        Parameters.load(mha, params(f), "mha_masks.npz");
        eval(mha);
        try (var off = GradMode.off()) {
            AttentionOutput o = mha.attend(in(f, "query"), in(f, "key"), in(f, "value"), bool(f, "key_padding_mask"),
                    in(f, "attn_mask"), false, true);
            close("mha state_dict output", f.get("out.output"), o.output());
            close("mha state_dict weights", f.get("out.weights"), o.weights());
            close("mha onnx import", f.get("out.output"),
                    onnx("mha_masks").run(in(f, "query"), in(f, "key"), in(f, "value"))[0]);
        }
    }

    private void encoder(String name, TransformerEncoderLayer.Config c) throws Exception {
        Map<String, INDArray> f = fixture(name);
        TransformerEncoderLayer enc = new TransformerEncoderLayer(c, ctx());
        Parameters.load(enc, params(f), name + ".npz");
        eval(enc);
        try (var off = GradMode.off()) {
            close(name + " state_dict", f.get("out.output"),
                    enc.encode(in(f, "src"), null, bool(f, "src_key_padding_mask"), false));
            close(name + " onnx import", f.get("out.output"), onnx(name).run(in(f, "src"))[0]);
        }
    }

    @Test
    void encoderLayers() throws Exception {
        encoder("encoder_post_relu", TransformerEncoderLayer.Config.of(8, 2, 16).withDropout(0));
        encoder("encoder_pre_gelu_batch_first", TransformerEncoderLayer.Config.of(8, 2, 16).withDropout(0)
                .withNormFirst(true).withActivation("gelu").withBatchFirst(true));
    }

    private void decoder(String name, TransformerDecoderLayer.Config c) throws Exception {
        Map<String, INDArray> f = fixture(name);
        TransformerDecoderLayer dec = new TransformerDecoderLayer(c, ctx());
        Parameters.load(dec, params(f), name + ".npz");
        eval(dec);
        try (var off = GradMode.off()) {
            close(name + " state_dict, tgt_mask", f.get("out.output"), dec.decode(in(f, "tgt"), in(f, "memory"),
                    bool(f, "tgt_mask"), null, null, bool(f, "memory_key_padding_mask"), false));
            close(name + " state_dict, tgtCausal", f.get("out.output"), dec.decode(in(f, "tgt"), in(f, "memory"),
                    null, null, null, bool(f, "memory_key_padding_mask"), true));
            close(name + " onnx import", f.get("out.output"), onnx(name).run(in(f, "tgt"), in(f, "memory"))[0]);
        }
    }

    @Test
    void decoderLayers() throws Exception {
        decoder("decoder_post_relu", TransformerDecoderLayer.Config.of(8, 2, 16).withDropout(0));
        decoder("decoder_pre_gelu_batch_first", TransformerDecoderLayer.Config.of(8, 2, 16).withDropout(0)
                .withNormFirst(true).withActivation("gelu").withBatchFirst(true));
    }

    /** onnx-bridge's own fixture: TransformerEncoderLayer(16, 2, 32, dropout 0, batch_first), post-norm ReLU. */
    @Test
    void onnxBridgeTransformerBlockStateDict() throws Exception {
        Path dir = Path.of(System.getProperty("user.dir")).resolve("../../onnx-bridge/src/test/resources/fixtures/"
                + "transformer_block").normalize();
        ImportedModel imported = new OnnxImporter().load(dir.resolve("model.onnx"));
        TransformerEncoderLayer enc = new TransformerEncoderLayer(TransformerEncoderLayer.Config.of(16, 2, 32)
                .withDropout(0).withBatchFirst(true), ctx());
        Map<String, INDArray> weights = new LinkedHashMap<>();
        for (String name : imported.weightNames()) {
            weights.put(name, imported.weight(name).data());
        }
        Parameters.load(enc, weights, "transformer_block/model.onnx");
        eval(enc);
        INDArray x = dev.dendrite.onnxbridge.TensorProtos.read(dev.dendrite.onnxbridge.proto.TensorProto.parseFrom(
                java.nio.file.Files.readAllBytes(dir.resolve("input_0.pb"))));
        INDArray y = dev.dendrite.onnxbridge.TensorProtos.read(dev.dendrite.onnxbridge.proto.TensorProto.parseFrom(
                java.nio.file.Files.readAllBytes(dir.resolve("output_0.pb"))));
        try (var off = GradMode.off()) {
            close("transformer_block state_dict", y, enc.forward(Tensor.of(x)));
        }
    }
}

package dev.dendrite.attention.vit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.inject.Registries;
import dev.dendrite.nn.Init;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.onnxbridge.ImportedModel;
import dev.dendrite.onnxbridge.OnnxExporter;
import dev.dendrite.onnxbridge.OnnxImporter;
import dev.dendrite.onnxbridge.proto.ModelProto;
import dev.dendrite.ops.F;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exported patch embedding (Shape → Slice → Concat → Expand for the class token, Reshape/Transpose/MatMul for
 * the patches) imports back as a trainable model: same outputs at a batch size other than the traced one, and the
 * same gradients for every weight, the class token's sum over the batch included.
 */
class VitOnnxRoundTripTest {
    @Test
    void patchEmbeddingImportsBackAndTrainsAlike() {
        LayerContext ctx = new LayerContext(DataType.FLOAT, new Rng(3),
                Registries.discover(getClass().getClassLoader()).layers());
        PatchEmbedding ours = new PatchEmbedding(PatchEmbedding.Config.of(8, 4, 6), ctx);
        ours.train(false);
        ModelProto proto = OnnxExporter.export(ours, OnnxExporter.DEFAULT_OPSET,
                Tensor.of(Init.normal(new Rng(1), DataType.FLOAT, 0, 1, 2, 1, 8, 8)));
        ImportedModel back = new OnnxImporter().importModel(proto, null);
        back.train(false);

        Tensor x = Tensor.of(Init.normal(new Rng(2), DataType.FLOAT, 0, 1, 5, 1, 8, 8));
        Tensor r = Tensor.of(Init.normal(new Rng(4), DataType.FLOAT, 0, 1, 5, 5, 6)); // a random loss direction
        Tensor y = ours.forward(x);
        Tensor yBack = back.run(x)[0];
        double diff = Compare.maxAbsDiff("output after the round trip", yBack.data(), y.data());
        assertTrue(diff <= 1e-5, "outputs differ by " + diff);

        F.sum(F.mul(y, r), false).backward();
        F.sum(F.mul(yBack, r), false).backward();
        for (String name : new String[] {"cls_token", "pos_embed", "proj.weight", "proj.bias"}) {
            INDArray g = ours.parameters().get(name).grad();
            INDArray gBack = back.weight(name).grad();
            // Reshaped: the imported weight may carry another (same-size) shape.
            double d = Compare.maxAbsDiff(name + " gradient", gBack.reshape(g.shape()), g);
            System.out.println("patch_embedding ONNX round trip: " + name + " gradient max abs diff " + d);
            assertTrue(d <= 1e-5, name + ": gradients differ by " + d);
        }
        System.out.println("patch_embedding ONNX round trip: output max abs diff " + diff);
    }
}

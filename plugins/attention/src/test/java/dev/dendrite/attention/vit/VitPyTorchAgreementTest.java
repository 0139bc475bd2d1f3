package dev.dendrite.attention.vit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.inject.Registries;
import dev.dendrite.io.NpyArchive;
import dev.dendrite.nn.Layer;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.nn.Parameters;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.GradMode;
import dev.dendrite.tensor.Tensor;
import dev.dendrite.testkit.Compare;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch agreement (fixture: {@code src/test/resources/vit/make_vit_fixtures.py}, torch 1.13): timm's PatchEmbed
 * (a stride-P Conv2d, flattened row by row), class token and position embedding, loaded by name from the
 * state_dict into {@link PatchEmbedding}, give the same tokens; {@link TokenPooling} the same pooled vectors.
 */
class VitPyTorchAgreementTest {
    private static Map<String, INDArray> fx;
    private static final LayerContext CTX = new LayerContext(DataType.DOUBLE, new Rng(1),
            Registries.discover(VitPyTorchAgreementTest.class.getClassLoader()).layers());

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = VitPyTorchAgreementTest.class.getResourceAsStream("/vit/patch_embedding.npz")) {
            fx = NpyArchive.read(in, "patch_embedding.npz");
        }
    }

    private static INDArray run(Layer layer, INDArray x) {
        layer.train(false);
        try (var off = GradMode.off()) {
            return layer.forward(Tensor.of(x)).data();
        }
    }

    private static void close(INDArray expected, INDArray actual, String what) {
        double diff = Compare.maxAbsDiff(what, actual, expected);
        System.out.println(what + ": max abs diff to PyTorch " + diff);
        assertTrue(diff <= 1e-10, what + ": " + diff);
    }

    @Test
    void classTokenEmbeddingMatchesTimmsPatchEmbedCatAndPositions() {
        PatchEmbedding embed = new PatchEmbedding(new PatchEmbedding.Config(2, 8, 6, 2, 5, true, 0), CTX);
        Map<String, INDArray> state = new LinkedHashMap<>();
        for (String k : new String[] {"proj.weight", "proj.bias", "cls_token", "pos_embed"}) {
            state.put(k, fx.get(k));
        }
        Parameters.load(embed, state, "patch_embedding.npz");
        INDArray y = run(embed, fx.get("x"));
        close(fx.get("y_cls"), y, "patch_embedding (class token)");
        close(fx.get("pool_cls"), run(new TokenPooling(TokenPooling.Config.cls(), CTX), y), "token_pooling cls");
        close(fx.get("pool_mean"), run(new TokenPooling(TokenPooling.Config.mean(), CTX), y), "token_pooling mean");
    }

    @Test
    void plainEmbeddingMatchesTimmsPatchEmbedPlusPositions() {
        PatchEmbedding embed = new PatchEmbedding(new PatchEmbedding.Config(2, 8, 6, 2, 5, false, 0), CTX);
        Parameters.load(embed, Map.of("proj.weight", fx.get("proj.weight"), "proj.bias", fx.get("proj.bias"),
                "pos_embed", fx.get("pos_embed_plain")), "patch_embedding.npz");
        close(fx.get("y_plain"), run(embed, fx.get("x")), "patch_embedding (no class token)");
    }
}

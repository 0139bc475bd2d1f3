package dev.dendrite.attention.vit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dendrite.inject.Registries;
import dev.dendrite.nn.LayerContext;
import dev.dendrite.random.Rng;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Bad images, token tensors and configs are refused in Java with the layer, the expected and the actual shape. */
class VitBadInputTest {
    private static final LayerContext CTX = new LayerContext(DataType.DOUBLE, new Rng(1),
            Registries.discover(VitBadInputTest.class.getClassLoader()).layers());

    private static Tensor zeros(long... shape) {
        return Tensor.of(Nd4j.zeros(DataType.DOUBLE, shape));
    }

    @Test
    void patchEmbeddingNamesTheExpectedImage() {
        PatchEmbedding embed = new PatchEmbedding(PatchEmbedding.Config.of(28, 7, 64), CTX);
        ShapeException e = assertThrows(ShapeException.class, () -> embed.forward(zeros(2, 784)));
        assertEquals("layer 'patch_embedding' (patch_embedding): expected an image [N, C, H, W] = [N, 1, 28, 28], "
                + "got [2, 784]", e.getMessage());
        e = assertThrows(ShapeException.class, () -> embed.forward(zeros(2, 3, 28, 28)));
        assertEquals("layer 'patch_embedding' (patch_embedding): expected an image [N, C, H, W] = [N, 1, 28, 28], "
                + "got [2, 3, 28, 28]", e.getMessage());
    }

    @Test
    void patchSizeMustDivideTheImage() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> new PatchEmbedding(PatchEmbedding.Config.of(28, 5, 64), CTX));
        assertEquals("patch_embedding: channels, dModel and patchSize must be positive and the patch size must divide "
                + "height and width, got Config[channels=1, height=28, width=28, patchSize=5, dModel=64, "
                + "classToken=true, dropout=0.0]", e.getMessage());
        e = assertThrows(ShapeException.class,
                () -> new PatchEmbedding(PatchEmbedding.Config.of(28, 7, 64).withDropout(1), CTX));
        assertEquals("patch_embedding: dropout must be in [0, 1), got 1.0", e.getMessage());
    }

    @Test
    void tokenPoolingNamesTheLayoutAndThePool() {
        TokenPooling pool = new TokenPooling(TokenPooling.Config.cls(), CTX);
        ShapeException e = assertThrows(ShapeException.class, () -> pool.forward(zeros(2, 64)));
        assertEquals("layer 'token_pooling' (token_pooling): expected tokens [N, T, d] with T >= 1, got [2, 64]",
                e.getMessage());
        e = assertThrows(ShapeException.class, () -> new TokenPooling(new TokenPooling.Config("max", true), CTX));
        assertEquals("token_pooling: pool must be \"cls\" or \"mean\", got \"max\"", e.getMessage());
    }

    @Test
    void prependTokenChecksTheTokenAgainstTheSequence() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> PrependToken.apply(zeros(2, 4, 3), zeros(1, 1, 5)));
        assertEquals("prepend_token: expected tokens [N, T, d] and a token [1, 1, d], got [2, 4, 3] and [1, 1, 5]",
                e.getMessage());
    }
}

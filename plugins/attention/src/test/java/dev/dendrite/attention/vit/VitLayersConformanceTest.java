package dev.dendrite.attention.vit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.testkit.LayerConformance;
import dev.dendrite.testkit.LayerConformance.Report;
import org.junit.jupiter.api.Test;

/**
 * The ViT layers through the conformance kit: float64 gradients of the image and of every parameter (class token
 * and position embedding included) ≤ 1e-6, config JSON, save/load, determinism, bad shapes refused, and ONNX
 * Runtime agreement at two batch sizes (so the class token's batch-sized Expand must stay symbolic).
 */
class VitLayersConformanceTest {

    private static void passed(Report r) {
        assertTrue(r.gradients().worst() <= 1e-6, r.layer() + ": " + r.gradients());
        assertTrue(r.onnx().startsWith("max abs diff vs ONNX Runtime"), r.layer() + ": " + r.onnx());
        System.out.println(r.layer() + ": gradients " + r.gradients().worst() + ", " + r.onnx());
    }

    @Test
    void patchEmbeddingWithClassToken() {
        passed(LayerConformance.of(new PatchEmbedding.Provider()).config(PatchEmbedding.Config.of(4, 2, 3))
                .input(2, 1, 4, 4).rejects(2, 1, 4).rejects(2, 2, 4, 4).rejects(2, 1, 4, 6).check());
    }

    @Test
    void patchEmbeddingWithoutClassTokenOnANonSquareColourImage() {
        passed(LayerConformance.of(new PatchEmbedding.Provider())
                .config(new PatchEmbedding.Config(3, 4, 6, 2, 5, false, 0)).input(2, 3, 4, 6)
                .rejects(2, 3, 6, 4).rejects(2, 1, 4, 6).check());
    }

    @Test
    void patchEmbeddingWithDropout() {
        // The kit rewinds the random stream per evaluation, so the dropout mask repeats under finite differences.
        passed(LayerConformance.of(new PatchEmbedding.Provider())
                .config(PatchEmbedding.Config.of(4, 2, 3).withDropout(0.25)).input(2, 1, 4, 4).rejects(2, 4, 4)
                .check());
    }

    @Test
    void tokenPoolingClassTokenAndMean() {
        for (TokenPooling.Config c : new TokenPooling.Config[] {TokenPooling.Config.cls(), TokenPooling.Config.mean()}) {
            passed(LayerConformance.of(new TokenPooling.Provider()).config(c).input(2, 5, 3).rejects(2, 5).check());
            passed(LayerConformance.of(new TokenPooling.Provider()).config(c.withBatchFirst(false)).input(5, 2, 3)
                    .rejects(5, 2, 3, 1).check());
        }
    }
}

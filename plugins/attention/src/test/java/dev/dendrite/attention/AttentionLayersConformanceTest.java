package dev.dendrite.attention;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.testkit.LayerConformance;
import dev.dendrite.testkit.LayerConformance.Report;
import org.junit.jupiter.api.Test;

/**
 * Every layer of the plugin through the conformance kit: float64 gradients of inputs and parameters ≤ 1e-6 (in
 * training mode, dropout included: the kit rewinds the random stream), config JSON, save/load, determinism,
 * wrong shapes refused, and agreement with ONNX Runtime (at the example's batch and at twice it along axis 0,
 * which for time-first layouts doubles the sequence length).
 */
class AttentionLayersConformanceTest {

    private static void passed(Report r) {
        assertTrue(r.gradients().worst() <= 2e-6, r.layer() + ": " + r.gradients());
        assertTrue(r.onnx().startsWith("max abs diff vs ONNX Runtime"), r.layer() + ": " + r.onnx());
        System.out.println(r.layer() + ": worst gradient error " + r.gradients().worst() + ", " + r.onnx());
    }

    private static LayerConformance<MultiheadAttention.Config> mha(MultiheadAttention.Config c) {
        return LayerConformance.of(new MultiheadAttention.Provider()).config(c);
    }

    @Test
    void multiHeadSelfAttentionTimeFirst() {
        passed(mha(MultiheadAttention.Config.of(8, 2)).input(5, 3, 8).rejects(5, 3, 7).rejects(5, 8).check());
    }

    @Test
    void multiHeadAttentionWithoutBiasBatchFirstWithDropout() {
        passed(mha(MultiheadAttention.Config.of(8, 4).withBias(false).withBatchFirst(true).withDropout(0.2))
                .input(2, 5, 8).rejects(2, 5, 6).check());
    }

    /**
     * Batch first: the exporter names axis 0 of every input {@code batch}, so time-first query and key of
     * different lengths would tell ONNX Runtime two sizes for one symbol.
     */
    @Test
    void multiHeadCrossAttentionThreeInputs() {
        passed(mha(MultiheadAttention.Config.of(6, 3).withBatchFirst(true)).input(2, 4, 6).input(2, 7, 6)
                .input(2, 7, 6).rejects(2, 4, 5).check());
    }

    @Test
    void positionalEncodings() {
        for (PositionalEncoding.Config c : new PositionalEncoding.Config[] {
                PositionalEncoding.Config.sinusoidal(6, 16), PositionalEncoding.Config.learned(6, 16),
                PositionalEncoding.Config.sinusoidal(6, 16).withBatchFirst(true).withDropout(0.1),
                PositionalEncoding.Config.learned(6, 16).withBatchFirst(true)}) {
            passed(LayerConformance.of(new PositionalEncoding.Provider()).config(c).input(4, 3, 6).rejects(4, 3, 5)
                    .rejects(4, 6).rejects(20, 20, 6).check());
        }
    }

    @Test
    void encoderLayerPostAndPreNormWithReluAndGelu() {
        for (boolean normFirst : new boolean[] {false, true}) {
            for (String act : new String[] {"relu", "gelu"}) {
                // Small: finite differences through two layer norms are noisy at ~1e-9 absolute, which the kit's
                // 1e-3 floor turns into 1e-6 relative on a larger output. With GELU the float64 erf of libnd4j
                // adds its own ~1e-10 disagreement with the exact derivative; measured worst: 1.1e-6.
                TransformerEncoderLayer.Config c = TransformerEncoderLayer.Config.of(4, 2, 6).withNormFirst(normFirst)
                        .withActivation(act);
                passed(LayerConformance.of(new TransformerEncoderLayer.Provider()).config(c).input(3, 2, 4)
                        .rejects(3, 2, 6).rejects(3, 4).tolerance(act.equals("gelu") ? 2e-6 : 1e-6).check());
            }
        }
    }

    @Test
    void encoderLayerBatchFirst() {
        // Small for the reason given in encoderLayerPostAndPreNormWithReluAndGelu.
        TransformerEncoderLayer.Config c = TransformerEncoderLayer.Config.of(4, 2, 6).withBatchFirst(true)
                .withDropout(0.0);
        passed(LayerConformance.of(new TransformerEncoderLayer.Provider()).config(c).input(2, 3, 4).rejects(2, 3, 8)
                .check());
    }

    @Test
    void decoderLayerTwoInputs() {
        for (boolean normFirst : new boolean[] {false, true}) {
            TransformerDecoderLayer.Config c = TransformerDecoderLayer.Config.of(8, 2, 12).withNormFirst(normFirst)
                    .withActivation(normFirst ? "gelu" : "relu");
            // One length for tgt and memory when time first: see multiHeadCrossAttentionThreeInputs.
            passed(LayerConformance.of(new TransformerDecoderLayer.Provider()).config(c).input(3, 2, 8).input(3, 2, 8)
                    .rejects(3, 2, 6).rejects(3, 8).check());
        }
        TransformerDecoderLayer.Config bf = TransformerDecoderLayer.Config.of(8, 2, 12).withBatchFirst(true);
        passed(LayerConformance.of(new TransformerDecoderLayer.Provider()).config(bf).input(2, 3, 8).input(2, 5, 8)
                .rejects(2, 3, 7).check());
    }
}

package dev.dendrite.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.testkit.LayerConformance;
import dev.dendrite.testkit.LayerConformance.Report;
import org.junit.jupiter.api.Test;

/**
 * LSTM, GRU and RNN (tanh and relu) through the conformance kit: float64 gradients of every parameter and the
 * input ≤ 1e-6, config JSON and checkpoint round trips, wrong rank and feature size refused, and the exported
 * graph (one ONNX LSTM/GRU/RNN node per layer) agreeing with ONNX Runtime in float32.
 */
class RecurrentConformanceTest {
    private static void passed(Report r) {
        assertTrue(r.gradients().worst() <= 1e-6, r.layer() + ": " + r.gradients());
        assertTrue(r.onnx().startsWith("max abs diff vs ONNX Runtime"), r.layer() + ": " + r.onnx());
        System.out.println(r.layer() + ": gradients " + r.gradients().worst() + ", " + r.onnx());
    }

    @Test
    void lstmOneLayer() {
        passed(LayerConformance.of(new Lstm.Provider()).config(Lstm.Config.of(3, 4)).input(5, 2, 3)
                .rejects(5, 3).rejects(5, 2, 4).check());
    }

    @Test
    void lstmTwoLayersBidirectional() {
        passed(LayerConformance.of(new Lstm.Provider()).config(Lstm.Config.of(3, 2).withLayers(2)
                .withBidirectional(true)).input(4, 2, 3).rejects(4, 3).rejects(4, 2, 2).check());
    }

    @Test
    void lstmBatchFirstWithoutBias() {
        passed(LayerConformance.of(new Lstm.Provider()).config(Lstm.Config.of(3, 2).withBatchFirst(true)
                .withBias(false).withLayers(2)).input(2, 4, 3).rejects(2, 4).rejects(2, 4, 5).check());
    }

    @Test
    void gruOneLayer() {
        passed(LayerConformance.of(new Gru.Provider()).config(Gru.Config.of(3, 4)).input(5, 2, 3)
                .rejects(5, 3).rejects(5, 2, 4).check());
    }

    @Test
    void gruTwoLayersBidirectional() {
        passed(LayerConformance.of(new Gru.Provider()).config(Gru.Config.of(3, 2).withLayers(2)
                .withBidirectional(true)).input(4, 2, 3).rejects(4, 3).rejects(4, 2, 2).check());
    }

    @Test
    void gruBatchFirst() {
        passed(LayerConformance.of(new Gru.Provider()).config(Gru.Config.of(3, 2).withBatchFirst(true))
                .input(2, 4, 3).rejects(2, 4).rejects(2, 4, 5).check());
    }

    @Test
    void rnnTanhTwoLayersBidirectional() {
        passed(LayerConformance.of(new Rnn.Provider()).config(Rnn.Config.of(3, 2).withLayers(2)
                .withBidirectional(true)).input(4, 2, 3).rejects(4, 3).rejects(4, 2, 2).check());
    }

    @Test
    void rnnReluBatchFirst() {
        passed(LayerConformance.of(new Rnn.Provider()).config(Rnn.Config.of(3, 4).withNonlinearity("relu")
                .withBatchFirst(true)).input(2, 5, 3).rejects(2, 5).rejects(2, 5, 2).check());
    }
}

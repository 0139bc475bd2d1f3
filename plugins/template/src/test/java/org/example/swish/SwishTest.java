package org.example.swish;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.testkit.LayerConformance;
import org.junit.jupiter.api.Test;

/** The conformance kit in one line: gradients, config and checkpoint round trips, bad input, ONNX Runtime. */
class SwishTest {
    @Test
    void passesTheConformanceKit() {
        var report = LayerConformance.of(new Swish.Provider()).input(3, 4).anyRank().check();
        assertTrue(report.onnx().startsWith("max abs diff vs ONNX Runtime"), report.onnx());
    }
}

package dev.dendrite.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The kit fails on what it promises to check. core-api's tests have no onnx-bridge on their classpath: the
 * situation of a third-party plugin that forgot it.
 */
class ConformanceKitTest {
    private static LayerConformance<PlantedLayer.Config> kit(String plant) {
        return LayerConformance.of(new PlantedLayer.Provider()).config(new PlantedLayer.Config(3, plant))
                .input(2, 3).rejects(2, 4);
    }

    @Test
    void aMissingOnnxBridgeFailsTheKit() {
        AssertionError e = assertThrows(AssertionError.class, () -> kit("none").check());
        assertTrue(e.getMessage().contains("ONNX agreement not run: add dendrite-onnx-bridge in test scope"),
                e.getMessage());
    }

    @Test
    void anExplicitOptOutPassesAndSaysWhy() {
        LayerConformance.Report r = kit("none").withoutOnnx("a test layer with no ONNX form").check();
        assertEquals("skipped: a test layer with no ONNX form", r.onnx());
        assertTrue(r.gradients().worst() <= GradCheck.TOLERANCE);
        assertThrows(IllegalArgumentException.class, () -> kit("none").withoutOnnx(" "));
    }

    @Test
    void aNanGradientFailsTheKit() {
        AssertionError e = assertThrows(AssertionError.class, () -> kit("nan_grad").withoutOnnx("test").check());
        assertTrue(e.getMessage().contains("gradient of 'input0' is not finite at flat index 1"), e.getMessage());
    }

    @Test
    void outputsThatDifferInTheLastBitsAreNotDeterministic() {
        AssertionError e = assertThrows(AssertionError.class, () -> kit("jitter").withoutOnnx("test").check());
        assertTrue(e.getMessage().contains("same seed, same input, outputs: not bit-identical"), e.getMessage());
    }
}

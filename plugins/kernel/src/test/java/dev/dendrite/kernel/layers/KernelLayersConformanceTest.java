package dev.dendrite.kernel.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.testkit.LayerConformance;
import dev.dendrite.testkit.LayerConformance.Report;
import org.junit.jupiter.api.Test;

/** Every layer of the kernel plugin through the conformance kit, in each of its configurations. */
class KernelLayersConformanceTest {

    private static void passed(Report r) {
        assertTrue(r.gradients().worst() <= 1e-6, r.layer() + ": " + r.gradients());
        // onnx-bridge is on the test classpath, so the ONNX Runtime agreement must have run (and passed).
        assertTrue(r.onnx().startsWith("max abs diff vs ONNX Runtime"), r.layer() + ": " + r.onnx());
        System.out.println(r.layer() + ": " + r.gradients() + "; " + r.onnx());
    }

    @Test
    void rbfWithLearnableWidths() {
        passed(LayerConformance.of(new Rbf.Provider()).config(new Rbf.Config(4, 6, null, true)).input(3, 4)
                .rejects(3, 5).rejects(4).check());
    }

    @Test
    void rbfWithFixedWidths() {
        passed(LayerConformance.of(new Rbf.Provider()).config(new Rbf.Config(5, 3, 0.3, false)).input(2, 5)
                .rejects(2, 4).check());
    }

    @Test
    void randomFourierFeatures() {
        passed(LayerConformance.of(new RandomFourierFeatures.Provider())
                .config(new RandomFourierFeatures.Config(4, 7, null, false)).input(3, 4).rejects(3, 2).check());
        passed(LayerConformance.of(new RandomFourierFeatures.Provider())
                .config(new RandomFourierFeatures.Config(3, 5, 0.5, true)).input(2, 3).rejects(2, 3, 1).check());
    }

    @Test
    void arcCosineFeatures() {
        passed(LayerConformance.of(new ArcCosineFeatures.Provider())
                .config(new ArcCosineFeatures.Config(4, 6, 1)).input(3, 4).rejects(3, 5).check());
        passed(LayerConformance.of(new ArcCosineFeatures.Provider())
                .config(new ArcCosineFeatures.Config(4, 6, 0)).input(3, 4).rejects(4).check());
    }
}

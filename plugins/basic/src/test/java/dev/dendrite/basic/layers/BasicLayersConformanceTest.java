package dev.dendrite.basic.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.testkit.LayerConformance;
import dev.dendrite.testkit.LayerConformance.Report;
import org.junit.jupiter.api.Test;

/** Every layer of the basic plugin through the conformance kit, each in its typical configurations. */
class BasicLayersConformanceTest {

    private static void passed(Report r) {
        assertTrue(r.gradients().worst() <= 1e-6, r.layer() + ": " + r.gradients());
        // onnx-bridge is on the test classpath, so the ONNX Runtime agreement must have run (and passed).
        assertTrue(r.onnx().startsWith("max abs diff vs ONNX Runtime"), r.layer() + ": " + r.onnx());
        System.out.println(r.layer() + ": " + r.onnx());
    }

    @Test
    void dense() {
        passed(LayerConformance.of(new Dense.Provider()).config(new Dense.Config(4, 3, true, "xavier_uniform"))
                .input(2, 4).rejects(4).rejects(2, 5).check());
        passed(LayerConformance.of(new Dense.Provider()).config(new Dense.Config(4, 3, false, "kaiming_normal"))
                .input(2, 5, 4).rejects(2, 5, 3).check());
    }

    @Test
    void relu() {
        passed(LayerConformance.of(new Activations.Relu()).input(3, 4).anyRank().check());
    }

    @Test
    void leakyRelu() {
        passed(LayerConformance.of(new Activations.LeakyRelu()).config(new Activations.LeakyReluConfig(0.1))
                .input(3, 4).anyRank().check());
    }

    @Test
    void elu() {
        passed(LayerConformance.of(new Activations.Elu()).config(new Activations.EluConfig(0.7)).input(3, 4)
                .anyRank().check());
    }

    @Test
    void selu() {
        passed(LayerConformance.of(new Activations.Selu()).input(2, 3, 2).anyRank().check());
    }

    @Test
    void gelu() {
        passed(LayerConformance.of(new Activations.Gelu()).input(3, 4).anyRank().check());
    }

    @Test
    void tanh() {
        passed(LayerConformance.of(new Activations.Tanh()).input(3, 4).anyRank().check());
    }

    @Test
    void sigmoid() {
        passed(LayerConformance.of(new Activations.Sigmoid()).input(3, 4).anyRank().check());
    }

    @Test
    void softplus() {
        passed(LayerConformance.of(new Activations.Softplus()).input(3, 4).anyRank().check());
    }

    @Test
    void softsign() {
        passed(LayerConformance.of(new Activations.Softsign()).input(3, 4).anyRank().check());
    }

    @Test
    void softmax() {
        passed(LayerConformance.of(new Activations.Softmax()).input(3, 5).anyRank().check());
        passed(LayerConformance.of(new Activations.Softmax()).config(new Activations.SoftmaxConfig(1))
                .input(2, 3, 4).rejects(3).check());
    }

    @Test
    void dropoutInTrainingModeRepeatsItsMaskFromTheSeed() {
        passed(LayerConformance.of(new Dropout.Provider()).config(new Dropout.Config(0.3)).input(4, 5).anyRank()
                .check());
    }

    @Test
    void flatten() {
        passed(LayerConformance.of(new Flatten.Provider()).input(2, 3, 2, 2).rejects(5).check());
    }

    @Test
    void embedding() {
        Report r = LayerConformance.of(new Embedding.Provider()).config(new Embedding.Config(7, 3))
                .indexInput(7, 2, 4).anyRank().check();
        assertEquals(1, r.gradients().maxError().size(), "only the weight is checked: ids carry no gradient");
        passed(r);
    }

    @Test
    void layerNorm() {
        passed(LayerConformance.of(new LayerNorm.Provider()).config(new LayerNorm.Config(new long[] {4}, 1e-5, true))
                .input(3, 4).rejects(3, 5).rejects(4).check());
        passed(LayerConformance.of(new LayerNorm.Provider())
                .config(new LayerNorm.Config(new long[] {3, 4}, 1e-5, false)).input(2, 3, 4).rejects(2, 4, 3).check());
    }

    @Test
    void reshape() {
        passed(LayerConformance.of(new Reshape.Provider()).config(new Reshape.Config(new long[] {0, 2, -1}))
                .input(3, 8).rejects(3, 7).check());
    }
}

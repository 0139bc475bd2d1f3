package dev.dendrite.cnn.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dendrite.testkit.LayerConformance;
import dev.dendrite.testkit.LayerConformance.Report;
import org.junit.jupiter.api.Test;

/**
 * Every layer of the CNN plugin through the conformance kit (float64 gradients ≤ 1e-6, config JSON, save/load,
 * determinism, wrong rank and wrong channel count refused), each in the settings that take different paths
 * through its primitive.
 */
class CnnLayersConformanceTest {

    private static void passed(Report r) {
        assertTrue(r.gradients().worst() <= 1e-6, r.layer() + ": " + r.gradients());
        // onnx-bridge is on the test classpath, so the ONNX Runtime agreement must have run (and passed).
        assertTrue(r.onnx().startsWith("max abs diff vs ONNX Runtime"), r.layer() + ": " + r.onnx());
        System.out.println(r.layer() + ": " + r.onnx());
    }

    private static LayerConformance<Conv2d.Config> conv2d(Conv2d.Config c, long... input) {
        return LayerConformance.of(new Conv2d.Provider()).config(c).input(input);
    }

    @Test
    void conv2dStride2Padding1() {
        passed(conv2d(Conv2d.Config.of(3, 4, 3).withStride(2).withPadding(Padding.of(1)), 2, 3, 6, 6)
                .rejects(2, 3, 6).rejects(2, 5, 6, 6).rejects(3, 6, 6).check());
    }

    @Test
    void conv2dDilation2() {
        passed(conv2d(Conv2d.Config.of(3, 4, 3).withDilation(2).withPadding(Padding.of(2)), 2, 3, 6, 6)
                .rejects(2, 3, 6).rejects(2, 4, 6, 6).check());
    }

    @Test
    void conv2dTwoGroups() {
        passed(conv2d(Conv2d.Config.of(4, 6, 3).withGroups(2).withPadding(Padding.of(1)), 2, 4, 5, 5)
                .rejects(2, 4, 5).rejects(2, 2, 5, 5).check());
    }

    @Test
    void conv2dDepthwiseWithChannelMultiplier() {
        passed(conv2d(Conv2d.Config.of(3, 6, 3).withGroups(3).withPadding(Padding.of(1)).withStride(2), 2, 3, 6, 6)
                .rejects(2, 3, 6).rejects(2, 6, 6, 6).check());
        passed(conv2d(Conv2d.Config.of(3, 3, 3).withGroups(3), 2, 3, 5, 5).rejects(2, 1, 5, 5).check());
    }

    @Test
    void conv2dSamePaddingWithEvenKernel() {
        passed(conv2d(Conv2d.Config.of(3, 2, 4).withPadding(Padding.SAME), 2, 3, 5, 5).rejects(2, 3, 5).check());
        // Even kernel in one dim, dilated odd in the other: asymmetric padding on one axis only.
        passed(conv2d(new Conv2d.Config(3, 2, Size2d.of(2, 3), Size2d.of(1), Padding.SAME, Size2d.of(1, 2), 1, true),
                2, 3, 5, 6).rejects(2, 3, 5).check());
    }

    @Test
    void conv2dWithoutBiasAndUnequalStridePadding() {
        passed(conv2d(new Conv2d.Config(3, 4, Size2d.of(3, 2), Size2d.of(1, 2), Padding.of(1, 0), Size2d.of(1), 1,
                false), 2, 3, 5, 6).rejects(2, 3, 5).rejects(2, 1, 5, 6).check());
    }

    @Test
    void conv1d() {
        passed(LayerConformance.of(new Conv1d.Provider()).config(new Conv1d.Config(3, 4, 3, 2, Padding.of(1), 1, 1, true))
                .input(2, 3, 9).rejects(2, 3, 9, 1).rejects(2, 4, 9).rejects(2, 3).check());
        passed(LayerConformance.of(new Conv1d.Provider())
                .config(new Conv1d.Config(3, 6, 4, 1, Padding.SAME, 2, 3, false)).input(2, 3, 9).rejects(2, 2, 9).check());
    }

    @Test
    void convTranspose2dStride2Padding1OutputPadding1() {
        passed(LayerConformance.of(new ConvTranspose2d.Provider()).config(ConvTranspose2d.Config.of(3, 2, 3).with(2, 1, 1))
                .input(2, 3, 4, 4).rejects(2, 3, 4).rejects(2, 4, 4, 4).check());
    }

    @Test
    void convTranspose2dOutputPaddingBeyondPaddingGroupsAndDilation() {
        // Output padding 2 > padding 0: the last rows lie outside libnd4j's output and get only the bias.
        passed(LayerConformance.of(new ConvTranspose2d.Provider())
                .config(new ConvTranspose2d.Config(2, 2, Size2d.of(2), Size2d.of(3), Size2d.of(0), Size2d.of(2), 1, true,
                        Size2d.of(1)))
                .input(1, 2, 3, 3).rejects(1, 3, 3, 3).check());
        passed(LayerConformance.of(new ConvTranspose2d.Provider())
                .config(new ConvTranspose2d.Config(4, 6, Size2d.of(3), Size2d.of(2), Size2d.of(1), Size2d.of(1), 2, false,
                        Size2d.of(2)))
                .input(2, 4, 3, 3).rejects(2, 3, 3, 3).check());
    }

    @Test
    void maxPool2d() {
        passed(LayerConformance.of(new MaxPool2d.Provider()).config(MaxPool2d.Config.of(2)).input(2, 3, 6, 6)
                .rejects(2, 3, 6).check());
        passed(LayerConformance.of(new MaxPool2d.Provider())
                .config(new MaxPool2d.Config(Size2d.of(2, 3), Size2d.of(1, 2), Size2d.of(1), false)).input(2, 3, 5, 6)
                .rejects(3, 5, 6).check());
    }

    @Test
    void maxPool2dCeilModeWithPadding() {
        passed(LayerConformance.of(new MaxPool2d.Provider())
                .config(new MaxPool2d.Config(Size2d.of(3), Size2d.of(2), Size2d.of(1), true)).input(2, 3, 6, 6)
                .rejects(2, 3, 6).check());
    }

    @Test
    void avgPool2dPaddingCountIncludePadAndNot() {
        for (boolean include : new boolean[] {true, false}) {
            passed(LayerConformance.of(new AvgPool2d.Provider())
                    .config(new AvgPool2d.Config(Size2d.of(3), Size2d.of(2), Size2d.of(1), false, include))
                    .input(2, 3, 7, 7).rejects(2, 3, 7).check());
        }
        passed(LayerConformance.of(new AvgPool2d.Provider()).config(AvgPool2d.Config.of(2)).input(2, 3, 6, 6)
                .rejects(2, 3, 6).check());
    }

    @Test
    void avgPool2dCeilMode() {
        for (boolean include : new boolean[] {true, false}) {
            passed(LayerConformance.of(new AvgPool2d.Provider())
                    .config(new AvgPool2d.Config(Size2d.of(3), Size2d.of(2), Size2d.of(1), true, include))
                    .input(2, 3, 6, 6).rejects(2, 3, 6).check());
        }
        passed(LayerConformance.of(new AvgPool2d.Provider())
                .config(new AvgPool2d.Config(Size2d.of(3), Size2d.of(2), Size2d.of(0), true, true)).input(2, 3, 6, 6)
                .rejects(2, 3, 6).check());
    }

    @Test
    void globalPools() {
        passed(LayerConformance.of(new GlobalPool2d.Avg()).input(2, 3, 4, 5).rejects(2, 3, 4).check());
        passed(LayerConformance.of(new GlobalPool2d.Max()).input(2, 3, 4, 5).rejects(2, 3, 4).check());
    }

    @Test
    void batchNorm2dTrainingMode() {
        passed(LayerConformance.of(new BatchNorm2d.Provider()).config(BatchNorm.Config.of(3)).input(4, 3, 3, 3)
                .rejects(4, 3, 3).rejects(4, 2, 3, 3).check());
        passed(LayerConformance.of(new BatchNorm2d.Provider()).config(new BatchNorm.Config(3, 1e-3, 0.3, false))
                .input(2, 3, 3, 2).rejects(4, 3).rejects(2, 4, 3, 2).check());
    }

    @Test
    void batchNorm1dTrainingMode() {
        passed(LayerConformance.of(new BatchNorm1d.Provider()).config(BatchNorm.Config.of(3)).input(5, 3)
                .rejects(5, 4).rejects(5, 3, 2, 2).rejects(3).check());
        passed(LayerConformance.of(new BatchNorm1d.Provider()).config(BatchNorm.Config.of(3)).input(2, 3, 4)
                .rejects(2, 2, 4).check());
    }

    @Test
    void upsampleNearest() {
        passed(LayerConformance.of(new Upsample2d.Provider()).config(new Upsample2d.Config(2, "nearest"))
                .input(2, 3, 3, 3).rejects(2, 3, 3).check());
        passed(LayerConformance.of(new Upsample2d.Provider()).config(new Upsample2d.Config(1.5, "nearest"))
                .input(2, 3, 3, 4).rejects(2, 3, 3).check());
    }

    @Test
    void upsampleBilinear() {
        passed(LayerConformance.of(new Upsample2d.Provider()).config(new Upsample2d.Config(2, "bilinear"))
                .input(2, 3, 3, 4).rejects(2, 3, 3).check());
        passed(LayerConformance.of(new Upsample2d.Provider()).config(new Upsample2d.Config(1.5, "bilinear"))
                .input(1, 2, 4, 3).rejects(2, 3, 3).check());
    }
}

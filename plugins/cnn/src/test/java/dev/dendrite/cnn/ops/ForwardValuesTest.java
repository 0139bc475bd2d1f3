package dev.dendrite.cnn.ops;

import static dev.dendrite.cnn.TestArrays.assertValues;
import static dev.dendrite.cnn.TestArrays.constant;
import static dev.dendrite.cnn.TestArrays.normal;

import dev.dendrite.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward values against small cases written out by hand or computed with PyTorch 1.13
 * ({@code torch.nn.functional}, float64), in float64 and in float32 (where oneDNN runs).
 */
class ForwardValuesTest {
    private static final long[] ONE = {1, 1};
    private static final long[] NO_PAD = {0, 0, 0, 0};

    /** The 4x4 image the pooling cases use. */
    private static final double[] IMAGE = {3, -1, 4, 1, -5, 9, 2, -6, 5, 3, -5, 8, 9, -7, 9, 3};

    private static double tol(DataType t) {
        return t == DataType.DOUBLE ? 1e-9 : 1e-5;
    }

    private static Tensor image(DataType t) {
        return constant(t, IMAGE, 1, 1, 4, 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void conv2dOfA3x3ImageWithA2x2Kernel(String dtype) {
        DataType t = DataType.valueOf(dtype);
        Tensor x = constant(t, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor w = constant(t, new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor b = constant(t, new double[] {0.5}, 1);
        // 1·1 + 2·2 + 4·3 + 5·4 = 37, and so on, plus the bias.
        assertValues(new long[] {1, 1, 2, 2}, new double[] {37.5, 47.5, 67.5, 77.5},
                CnnF.conv2d(x, w, b, ONE, NO_PAD, ONE, 1).data(), tol(t));
        // Stride 2, padding 1: the windows at padded (0,0), (0,2), (2,0), (2,2), zeros outside.
        // (0,0): 1·4; (0,2): 2·3 + 3·4; (2,0): 4·2 + 7·4; (2,2): 5·1 + 6·2 + 8·3 + 9·4.
        assertValues(new long[] {1, 1, 2, 2}, new double[] {4.5, 18.5, 36.5, 77.5},
                CnnF.conv2d(x, w, b, new long[] {2, 2}, new long[] {1, 1, 1, 1}, ONE, 1).data(), tol(t));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void samePaddingWithAnEvenKernelPadsTheEnd(String dtype) {
        DataType t = DataType.valueOf(dtype);
        double[] v = new double[16];
        for (int i = 0; i < 16; i++) {
            v[i] = i + 1;
        }
        Tensor x = constant(t, v, 1, 1, 4, 4);
        Tensor w = constant(t, new double[] {1, -1, 2, 0.5}, 1, 1, 2, 2);
        long[] pads = CnnF.samePadding(new long[] {2, 2}, ONE);
        // PyTorch: F.conv2d(x, w, padding='same')
        assertValues(new long[] {1, 1, 4, 4}, new double[] {12, 14.5, 17, 20, 22, 24.5, 27, 32, 32, 34.5, 37, 44, -1, -1,
            -1, 16}, CnnF.conv2d(x, w, null, ONE, pads, ONE, 1).data(), tol(t));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void conv1dSamePaddingWithEvenDilatedKernel(String dtype) {
        DataType t = DataType.valueOf(dtype);
        Tensor x = constant(t, new double[] {1, 3, -2, 4, 0, 5}, 1, 1, 6);
        Tensor w = constant(t, new double[] {1, -2, 0.5, 1}, 1, 1, 4);
        // PyTorch: F.conv1d(x, w, padding='same', dilation=2); total padding 6, 3 on each side.
        assertValues(new long[] {1, 1, 6}, new double[] {5.5, -3, 1, 5, -2.5, -2},
                CnnF.conv1d(x, w, null, 1, 3, 3, 2, 1).data(), tol(t));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void groupedAndDepthwiseConvolutionAreIndependentConvolutionsPerGroup(String dtype) {
        DataType t = DataType.valueOf(dtype);
        INDArray x = normal(t, 1, 2, 4, 5, 5);
        INDArray w = normal(t, 2, 6, 2, 3, 3);
        INDArray b = normal(t, 3, 6);
        long[] pads = {1, 1, 1, 1};
        INDArray grouped = CnnF.conv2d(Tensor.of(x), Tensor.of(w), Tensor.of(b), ONE, pads, ONE, 2).data();
        for (int g = 0; g < 2; g++) {
            INDArray alone = CnnF.conv2d(Tensor.of(Native.channels(x, 2 * g, 2 * g + 2)),
                    Tensor.of(Native.rows(w, 3 * g, 3 * g + 3)), Tensor.of(Native.rows(b, 3 * g, 3 * g + 3)), ONE, pads,
                    ONE, 1).data();
            assertValues(alone.shape(), alone.dup().data().asDouble(), Native.channels(grouped, 3 * g, 3 * g + 3),
                    tol(t));
        }
        // Depthwise with multiplier 2: output channel 2c + j sees input channel c only.
        INDArray wd = normal(t, 4, 8, 1, 3, 3);
        INDArray depthwise = CnnF.conv2d(Tensor.of(x), Tensor.of(wd), null, new long[] {2, 2}, pads, ONE, 4).data();
        for (int c = 0; c < 4; c++) {
            INDArray alone = CnnF.conv2d(Tensor.of(Native.channels(x, c, c + 1)), Tensor.of(Native.rows(wd, 2 * c,
                    2 * c + 2)), null, new long[] {2, 2}, pads, ONE, 1).data();
            assertValues(alone.shape(), alone.dup().data().asDouble(), Native.channels(depthwise, 2 * c, 2 * c + 2),
                    tol(t));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void convTranspose2dMatchesPyTorch(String dtype) {
        DataType t = DataType.valueOf(dtype);
        Tensor x = constant(t, new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor w = constant(t, new double[] {1, 2, 0, 0, 1, -1, 2, 0, 1}, 1, 1, 3, 3);
        Tensor b = constant(t, new double[] {0.5}, 1);
        long[] two = {2, 2};
        // F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1)
        assertValues(new long[] {1, 1, 4, 4}, new double[] {1.5, -0.5, 2.5, -1.5, 6.5, 9.5, 8.5, 2.5, 3.5, -2.5, 4.5,
            -3.5, 0.5, 11.5, 0.5, 4.5}, CnnF.convTranspose2d(x, w, b, two, ONE, ONE, ONE, 1).data(), tol(t));
        // padding=0, output_padding=1: the last row and column lie past the full output and hold only the bias.
        assertValues(new long[] {1, 1, 6, 6}, new double[] {1.5, 2.5, 2.5, 4.5, 0.5, 0.5, 0.5, 1.5, -0.5, 2.5, -1.5,
            0.5, 5.5, 6.5, 9.5, 8.5, 2.5, 0.5, 0.5, 3.5, -2.5, 4.5, -3.5, 0.5, 6.5, 0.5, 11.5, 0.5, 4.5, 0.5, 0.5, 0.5,
            0.5, 0.5, 0.5, 0.5}, CnnF.convTranspose2d(x, w, b, two, new long[] {0, 0}, ONE, ONE, 1).data(), tol(t));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void maxPoolWithPaddingAndCeilMode(String dtype) {
        DataType t = DataType.valueOf(dtype);
        long[] k3 = {3, 3};
        long[] s2 = {2, 2};
        // Padding never wins: the corner window of padded (−∞) cells and 3, −1, −5, 9 gives 9.
        assertValues(new long[] {1, 1, 2, 2}, new double[] {9, 9, 9, 9},
                CnnF.maxPool2d(image(t), k3, s2, ONE, false).data(), tol(t));
        // Ceil mode adds a third window per dim, hanging past the padded input.
        assertValues(new long[] {1, 1, 3, 3}, new double[] {9, 9, 1, 9, 9, 8, 9, 9, 3},
                CnnF.maxPool2d(image(t), k3, s2, ONE, true).data(), tol(t));
        assertValues(new long[] {1, 1, 2, 2}, new double[] {9, 8, 9, 9},
                CnnF.maxPool2d(image(t), k3, s2, new long[] {0, 0}, true).data(), tol(t));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void avgPoolCountIncludePadAndCeilMode(String dtype) {
        DataType t = DataType.valueOf(dtype);
        long[] k3 = {3, 3};
        long[] s2 = {2, 2};
        // Corner window: (3 − 1 − 5 + 9)/9 with the padding counted, /4 without.
        assertValues(new long[] {1, 1, 2, 2}, new double[] {6.0 / 9, 1, 14.0 / 9, 16.0 / 9},
                CnnF.avgPool2d(image(t), k3, s2, ONE, false, true).data(), tol(t));
        assertValues(new long[] {1, 1, 2, 2}, new double[] {1.5, 1.5, 7.0 / 3, 16.0 / 9},
                CnnF.avgPool2d(image(t), k3, s2, ONE, false, false).data(), tol(t));
        // Ceil mode (PyTorch): the extra windows divide by the cells up to the end of the padding, or, without
        // count_include_pad, by the cells inside the input. Top-right: (1 − 6)/6 and (1 − 6)/2.
        assertValues(new long[] {1, 1, 3, 3}, new double[] {6.0 / 9, 1, -5.0 / 6, 14.0 / 9, 16.0 / 9, 5.0 / 6, 1.0 / 3,
            5.0 / 6, 0.75}, CnnF.avgPool2d(image(t), k3, s2, ONE, true, true).data(), tol(t));
        assertValues(new long[] {1, 1, 3, 3}, new double[] {1.5, 1.5, -2.5, 7.0 / 3, 16.0 / 9, 5.0 / 3, 1, 5.0 / 3, 3},
                CnnF.avgPool2d(image(t), k3, s2, ONE, true, false).data(), tol(t));
        // No padding, ceil mode: the bottom-right window holds −5, 8, 9, 3 only.
        assertValues(new long[] {1, 1, 2, 2}, new double[] {5.0 / 3, 2.0 / 3, 7.0 / 3, 3.75},
                CnnF.avgPool2d(image(t), k3, s2, new long[] {0, 0}, true, true).data(), tol(t));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void globalPools(String dtype) {
        DataType t = DataType.valueOf(dtype);
        assertValues(new long[] {1, 1, 1, 1}, new double[] {2}, CnnF.globalAvgPool2d(image(t)).data(), tol(t));
        assertValues(new long[] {1, 1, 1, 1}, new double[] {9}, CnnF.globalMaxPool2d(image(t)).data(), tol(t));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void upsampleA2x2Image(String dtype) {
        DataType t = DataType.valueOf(dtype);
        Tensor u = constant(t, new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        assertValues(new long[] {1, 1, 4, 4}, new double[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                CnnF.upsample2d(u, 2, "nearest").data(), tol(t));
        assertValues(new long[] {1, 1, 4, 4}, new double[] {1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5,
            3, 3.25, 3.75, 4}, CnnF.upsample2d(u, 2, "bilinear").data(), tol(t));
        assertValues(new long[] {1, 1, 3, 3}, new double[] {1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4},
                CnnF.upsample2d(u, 1.5, "bilinear").data(), tol(t));
        assertValues(new long[] {1, 1, 3, 3}, new double[] {1, 1, 2, 1, 1, 2, 3, 3, 4},
                CnnF.upsample2d(u, 1.5, "nearest").data(), tol(t));
        assertValues(new long[] {1, 1, 6, 6}, new double[] {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3,
            4, 4, 4, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4}, CnnF.upsample2d(u, 3, "nearest").data(), tol(t));
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOUBLE", "FLOAT"})
    void emptyBatchGivesAnEmptyOutput(String dtype) {
        DataType t = DataType.valueOf(dtype);
        Tensor x = Tensor.of(Nd4j.zeros(t, 0, 2, 5, 5));
        Tensor w = Tensor.of(Nd4j.ones(t, 3, 2, 3, 3));
        assertValues(new long[] {0, 3, 3, 3}, new double[0], CnnF.conv2d(x, w, null, ONE, NO_PAD, ONE, 1).data(), 0);
        assertValues(new long[] {0, 2, 2, 2}, new double[0],
                CnnF.maxPool2d(x, new long[] {2, 2}, new long[] {2, 2}, new long[] {0, 0}, false).data(), 0);
    }
}

package dev.dendrite.cnn.ops;

import static dev.dendrite.cnn.TestArrays.normal;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.dendrite.testkit.Compare;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The GEMM backward against libnd4j's own {@code conv2d_bp} (checked against finite differences, DESIGN.md),
 * at strides, padding and dilations, in both dtypes, and each gradient alone.
 */
class ConvGemmTest {
    @ParameterizedTest(name = "{0}x{1} plane, kernel {2}, stride {3}, padding {4}, dilation {5}")
    @CsvSource({"5, 5, 3, 1, 1, 1", "7, 6, 3, 2, 1, 1", "8, 8, 3, 1, 0, 2", "6, 7, 2, 2, 1, 1", "4, 4, 1, 2, 0, 1"})
    void gradientsAreLibnd4jsConv2dBp(int h, int w, int k, int s, int p, int d) {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray x = normal(type, 1, 3, 4, h, w);
            INDArray wt = normal(type, 2, 5, 4, k, k);
            long oH = (h + 2L * p - (long) d * (k - 1) - 1) / s + 1;
            long oW = (w + 2L * p - (long) d * (k - 1) - 1) / s + 1;
            INDArray g = normal(type, 3, 3, 5, oH, oW);
            long[] iArgs = Window.iArgs(new long[] {k, k}, new long[] {s, s}, new long[] {p, p}, new long[] {d, d},
                    0, 1);
            INDArray gx = x.ulike();
            INDArray gw = wt.ulike();
            Native.conv("conv2d_bp", new INDArray[] {x, wt, g}, new INDArray[] {gx, gw}, iArgs, true);
            double tol = type == DataType.DOUBLE ? 1e-10 : 1e-4;
            INDArray[] both = ConvGemm.backward(x, wt, g, iArgs, true, true);
            Compare.assertClose("dx", both[0], gx, tol);
            Compare.assertClose("dw", both[1], gw, tol);
            INDArray[] onlyW = ConvGemm.backward(x, wt, g, iArgs, false, true);
            assertNull(onlyW[0]);
            Compare.assertClose("dw alone", onlyW[1], gw, tol);
            INDArray[] onlyX = ConvGemm.backward(x, wt, g, iArgs, true, false);
            assertNull(onlyX[1]);
            Compare.assertClose("dx alone", onlyX[0], gx, tol);
        }
    }
}

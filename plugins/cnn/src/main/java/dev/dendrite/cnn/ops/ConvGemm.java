package dev.dendrite.cnn.ops;

import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolutions as GEMMs where they beat oneDNN's convolution through libnd4j, which costs 30–80 µs a call before
 * any arithmetic and reorders the weights into its blocked layout on every call (at batch 1 that reorder is a
 * second pass over weights that are read once). The bias is written first and the GEMM adds to it (β = 1).
 * Measured per shape here on one thread:
 * <ul>
 *   <li>{@link #pointwise}, a 1×1 convolution (stride 1, no padding) as one GEMM per image, y[n] = W · x[n] with
 *       x[n] viewed as [C, H·W] — MobileNetV2's shapes at 64×64: batch 1, 16→96 at 32×32: 160 µs against 26;
 *       64→384 at 4×4: 30 against 9; batch 16, 16→96 at 32×32: 1,780 against 415 µs; 144→24 at 16×16: 466 against
 *       216; 192→32 at 8×8: 165 against 146. From 4×4 planes at batch 16 oneDNN wins (64→384: 110 against 179 µs:
 *       sixteen thin GEMMs), and on two threads already at 8×8 (the GEMMs are too small to split well).</li>
 *   <li>{@link #unfolded}, any other convolution of one image whose output plane is small, as libnd4j's
 *       {@code im2col} then one GEMM — ResNet-18's at 64×64, batch 1: 512→512 3×3 at 2×2, 1,187 against 581 µs;
 *       256→512 stride 2, 456 against 278; 256→256 at 4×4, 285 against 194; 128→256 stride 2 at 8×8, 164
 *       against 110; but 128→128 at 8×8, 152 against 240 and 64→64 at 16×16, 136 against 348 (the im2col
 *       copy outgrows the saving).</li>
 *   <li>{@link #backward}, the gradients where oneDNN's must not run (a million weights and more, or dilated):
 *       two GEMMs over the whole batch instead of libnd4j's own {@code conv2d_bp}, which loops over images.
 *       ResNet-18's training step (its four 512-channel convolutions), alternating processes: one thread
 *       190–573 → 129–138 ms, two threads 136–168 → 108–123 ms.</li>
 * </ul>
 */
final class ConvGemm {
    private ConvGemm() {}

    /** Whether a 1×1 convolution of {@code n} images of {@code plane} pixels runs as {@link #pointwise}. */
    static boolean pointwiseWins(long n, long plane) {
        return n == 1 || plane >= (Nd4j.getEnvironment().maxThreads() > 1 ? 256 : 64);
    }

    /** Whether a convolution of {@code n} images with {@code outPlane} output pixels runs as {@link #unfolded}. */
    static boolean unfoldedWins(long n, long outPlane) {
        return n == 1 && outPlane <= 16;
    }

    /** Whether the arrays are laid out as the GEMMs' views need (row-major from their first element). */
    static boolean fits(INDArray x, INDArray w) {
        return Shapes.rowMajor(x) && Shapes.rowMajor(w);
    }

    /** y = conv1×1(x, w) + b for x [N, C, H, W], w [O, C, 1, 1], b [O] or null. */
    static INDArray pointwise(INDArray x, INDArray w, INDArray b) {
        long n = x.size(0);
        long c = x.size(1);
        long plane = x.size(2) * x.size(3);
        long o = w.size(0);
        INDArray y = Kernels.empty(x.dataType(), n, o, x.size(2), x.size(3));
        INDArray x3 = x.reshape('c', n, c, plane);
        INDArray y3 = y.reshape('c', n, o, plane);
        INDArray w2 = w.reshape('c', o, c);
        double[] alphaBeta = bias(y3, b);
        for (long i = 0; i < n; i++) {
            gemm(w2, x3.slice(i), y3.slice(i), alphaBeta);
        }
        return y;
    }

    /**
     * y = conv(x, w) + b for one image x [1, C, H, W] (padded already where the padding is asymmetric), w [O, C,
     * kH, kW], with {@code iArgs} libnd4j's convolution arguments (their first nine are im2col's).
     */
    static INDArray unfolded(INDArray x, INDArray w, INDArray b, long[] iArgs, long oH, long oW) {
        long c = x.size(1);
        long o = w.size(0);
        long taps = w.size(2) * w.size(3);
        INDArray cols = Kernels.empty(x.dataType(), 1, c, w.size(2), w.size(3), oH, oW);
        Kernels.exec("im2col", new INDArray[] {x}, new INDArray[] {cols}, java.util.Arrays.copyOf(iArgs, 9),
                new double[] {0}, null);
        INDArray y = Kernels.empty(x.dataType(), 1, o, oH, oW);
        double[] alphaBeta = bias(y.reshape('c', 1, o, oH * oW), b);
        gemm(w.reshape('c', o, c * taps), cols.reshape('c', c * taps, oH * oW), y.reshape('c', o, oH * oW),
                alphaBeta);
        return y;
    }

    /**
     * The gradients of a convolution (one group, any stride, padding and dilation) as two GEMMs over all images at
     * once: with the output gradient as gT [O, N·P] and the input's columns as cols [C·kH·kW, N·P] (im2col, then
     * permuted), dW = gT · colsᵀ and dcols = Wᵀ · gT, folded back by col2im; each only when asked for.
     *
     * @return {dx, dW} for x [N, C, H, W] (padded already where the padding is asymmetric), w [O, C, kH, kW] and
     *     gy [N, O, oH, oW]; null where not wanted
     */
    static INDArray[] backward(INDArray x, INDArray w, INDArray gy, long[] iArgs, boolean wantX, boolean wantW) {
        long n = x.size(0);
        long c = x.size(1);
        long o = w.size(0);
        long cols = c * w.size(2) * w.size(3);
        long p = gy.size(2) * gy.size(3);
        INDArray gT = Kernels.permute(gy.reshape('c', n, o, p), 1, 0, 2).reshape('c', o, n * p);
        INDArray dw = null;
        INDArray dx = null;
        if (wantW) {
            INDArray unfolded = Kernels.empty(x.dataType(), n, c, w.size(2), w.size(3), gy.size(2), gy.size(3));
            Kernels.exec("im2col", new INDArray[] {x}, new INDArray[] {unfolded}, java.util.Arrays.copyOf(iArgs, 9),
                    new double[] {0}, null);
            INDArray colsT = Kernels.permute(unfolded.reshape('c', n, cols, p), 1, 0, 2).reshape('c', cols, n * p);
            dw = Kernels.matmul(gT, colsT, false, true).reshape('c', w.shape());
        }
        if (wantX) {
            INDArray dcols = Kernels.matmul(w.reshape('c', o, cols), gT, true, false);
            INDArray perImage = Kernels.permute(dcols.reshape('c', cols, n, p), 1, 0, 2)
                    .reshape('c', n, c, w.size(2), w.size(3), gy.size(2), gy.size(3));
            dx = Kernels.empty(x.dataType(), x.shape());
            // col2im's arguments: stride, padding, the image's size, dilation, same-mode.
            long[] args = {iArgs[2], iArgs[3], iArgs[4], iArgs[5], x.size(2), x.size(3), iArgs[6], iArgs[7], 0};
            Kernels.exec("col2im", new INDArray[] {perImage}, new INDArray[] {dx}, args, null, null);
        }
        return new INDArray[] {dx, dw};
    }

    /** Writes b into every pixel of y3 [N, O, P] (a broadcast assign); returns the GEMM's {α, β}. */
    private static double[] bias(INDArray y3, INDArray b) {
        if (b == null) {
            return new double[] {1, 0};
        }
        Kernels.exec("assign", y3, y3, b.reshape('c', 1, b.length(), 1));
        return new double[] {1, 1};
    }

    private static void gemm(INDArray a, INDArray b, INDArray out, double[] alphaBeta) {
        Kernels.exec("matmul", new INDArray[] {a, b}, new INDArray[] {out}, new long[] {0, 0}, alphaBeta, null);
    }
}

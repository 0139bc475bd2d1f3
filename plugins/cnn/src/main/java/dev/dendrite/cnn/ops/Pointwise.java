package dev.dendrite.cnn.ops;

import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 1×1 convolution (stride 1, no padding, one group) as one GEMM per image, y[n] = W · x[n] with x[n] viewed as
 * [C, H·W], the bias written first and the GEMM adding to it (β = 1). oneDNN's convolution through libnd4j costs
 * 30–80 µs a call before any arithmetic, and at MobileNetV2's shapes (64×64 images) measured here on one thread:
 * batch 1, 16→96 at 32×32: 160 µs against 26; 64→384 at 4×4: 30 against 9; batch 16, 16→96 at 32×32: 1,780
 * against 415 µs; 144→24 at 16×16: 466 against 216; 192→32 at 8×8: 165 against 146. From 4×4 planes at batch
 * 16 oneDNN wins (64→384: 110 against 179 µs: sixteen thin GEMMs), and on two threads already at 8×8 (the
 * GEMMs are too small to split well), hence {@link #wins}.
 */
final class Pointwise {
    private Pointwise() {}

    /** Whether a 1×1 convolution of {@code n} images of {@code plane} pixels runs here rather than in oneDNN. */
    static boolean wins(long n, long plane) {
        return n == 1 || plane >= (Nd4j.getEnvironment().maxThreads() > 1 ? 256 : 64);
    }

    /** Whether the arrays are laid out as the per-image views need (row-major from their first element). */
    static boolean fits(INDArray x, INDArray w) {
        return Shapes.rowMajor(x) && Shapes.rowMajor(w);
    }

    /** y = conv1×1(x, w) + b for x [N, C, H, W], w [O, C, 1, 1], b [O] or null. */
    static INDArray forward(INDArray x, INDArray w, INDArray b) {
        long n = x.size(0);
        long c = x.size(1);
        long plane = x.size(2) * x.size(3);
        long o = w.size(0);
        INDArray y = Kernels.empty(x.dataType(), n, o, x.size(2), x.size(3));
        INDArray x3 = x.reshape('c', n, c, plane);
        INDArray y3 = y.reshape('c', n, o, plane);
        INDArray w2 = w.reshape('c', o, c);
        if (b != null) {
            Kernels.exec("assign", y3, y3, b.reshape('c', 1, o, 1)); // broadcast: every pixel starts at its bias
        }
        double[] alphaBeta = {1, b == null ? 0 : 1};
        for (long i = 0; i < n; i++) {
            Kernels.exec("matmul", new INDArray[] {w2, x3.slice(i)}, new INDArray[] {y3.slice(i)}, new long[] {0, 0},
                    alphaBeta, null);
        }
        return y;
    }
}

package dev.dendrite.cnn.ops;

import dev.dendrite.ops.Clamp;

/**
 * A depthwise convolution's forward ({@link Depthwise}, one output channel per input channel) with the channels
 * innermost: each pixel of a chunk of channels is an array of its own, pixel[k] for channel k, so that one tap of
 * one output pixel is ONE multiply-add loop over the chunk's channels, y_p[k] += w_t[k] · x_q[k], every array
 * indexed alike, the loop C2 vectorises ({@link DepthwiseStacks} explains why that matters). Taps that fall in
 * the padding are skipped, not multiplied by zeros, and strides and dilations only change which pixel a tap
 * reads: no padded planes, no phases, no shifted copies. The price is one transposition in and one out (scalar
 * strided loops). It wins where output planes are small and channels many, MobileNetV2's later layers, where
 * stacks spend their time on per-row bookkeeping for rows of two or four. Measured at batch 16 on one thread,
 * 3×3 with ReLU6, stacks against this: 960 channels at 2×2, 1,579 against 187 µs; 384 at 4×4, 1,137 against
 * 263; 192 at 8×8, 1,253 against 576; 144 at 16×16 stride 2 (8×8 out), 1,867 against 1,017; but 144 at 16×16
 * stride 1, 2,557 against 5,463, hence {@link #suits}. Only the forward runs here; gradients run as stacks.
 */
final class DepthwiseChannels {
    /** Channels per chunk: at most this many pixel arrays' floats live at once (input plane plus outputs). */
    private static final int WORKING_SET = 1 << 15;
    /** Per thread: input pixels, output pixels, per-tap weights, the bias. */
    private static final ThreadLocal<float[][][]> ARRAYS = ThreadLocal.withInitial(() -> new float[4][0][]);
    private static final int IN = 0;
    private static final int OUT = 1;
    private static final int WEIGHTS = 2;
    private static final int BIAS = 3;

    private DepthwiseChannels() {}

    /** Whether this layout runs the geometry: a channel multiplier of 1 and small planes. */
    static boolean suits(Depthwise.Geometry g) {
        return g.m() == 1 && g.planeOut() <= 64;
    }

    /** Channels per chunk for this geometry: a multiple of 16 (whole vectors), at least 16. */
    private static int chunk(Depthwise.Geometry g) {
        int fit = WORKING_SET / (g.planeIn() + g.planeOut());
        return Math.min(g.c(), Math.max(16, fit / 16 * 16));
    }

    /** ys = clamp(depthwise(xs, ws) + bs) to [lo, hi]; bs may be null. */
    static void forward(Depthwise.Geometry g, float[] xs, float[] ws, float[] bs, float lo, float hi, float[] ys) {
        int c = g.c();
        // Every pixel array spans all channels and a task works on its chunk's range of them, so the weights and
        // the bias, transposed once per call, are indexed like the pixels.
        float[][] w = arrays(WEIGHTS, g.taps(), c);
        for (int t = 0; t < g.taps(); t++) {
            float[] wt = w[t];
            for (int k = 0; k < c; k++) {
                wt[k] = ws[k * g.taps() + t];
            }
        }
        float[] b = arrays(BIAS, 1, c)[0];
        if (bs == null) {
            java.util.Arrays.fill(b, 0, c, 0f);
        } else {
            System.arraycopy(bs, 0, b, 0, c);
        }
        int chunk = chunk(g);
        int chunks = (c + chunk - 1) / chunk;
        Depthwise.parallel(g.n() * chunks, (long) g.n() * c * g.planeOut() * g.taps(), task -> {
            int image = task / chunks;
            int c0 = task % chunks * chunk;
            int c1 = Math.min(c, c0 + chunk);
            float[][] x = arrays(IN, g.planeIn(), c);
            float[][] y = arrays(OUT, g.planeOut(), c);
            int in = image * c * g.planeIn();
            for (int p = 0; p < g.planeIn(); p++) {
                float[] xp = x[p];
                for (int k = c0; k < c1; k++) {
                    xp[k] = xs[in + k * g.planeIn() + p];
                }
            }
            for (int oh = 0; oh < g.oH(); oh++) {
                for (int ow = 0; ow < g.oW(); ow++) {
                    float[] out = y[oh * g.oW() + ow];
                    System.arraycopy(b, c0, out, c0, c1 - c0);
                    for (int ki = 0; ki < g.kH(); ki++) {
                        int ih = oh * g.sH() - g.pT() + ki * g.dH();
                        if (ih < 0 || ih >= g.h()) {
                            continue;
                        }
                        for (int kj = 0; kj < g.kW(); kj++) {
                            int iw = ow * g.sW() - g.pL() + kj * g.dW();
                            if (iw >= 0 && iw < g.w()) {
                                Depthwise.madd(out, w[ki * g.kW() + kj], x[ih * g.w() + iw], c0, c1);
                            }
                        }
                    }
                }
            }
            int to = image * c * g.planeOut();
            for (int p = 0; p < g.planeOut(); p++) {
                float[] yp = y[p];
                for (int k = c0; k < c1; k++) {
                    ys[to + k * g.planeOut() + p] = Clamp.apply(yp[k], lo, hi);
                }
            }
        });
    }

    private static float[][] arrays(int set, int count, int len) {
        return Depthwise.arrays(ARRAYS, set, count, len);
    }
}

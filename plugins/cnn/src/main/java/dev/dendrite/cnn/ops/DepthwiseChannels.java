package dev.dendrite.cnn.ops;

import dev.dendrite.ops.Clamp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A depthwise convolution ({@link Depthwise}, one output channel per input channel) with the channels
 * innermost: each pixel of a chunk of channels is an array of its own, pixel[k] for channel k, so that one tap of
 * one output pixel is ONE multiply-add loop over the chunk's channels, y_p[k] += w_t[k] · x_q[k], every array
 * indexed alike, the loop C2 vectorises ({@link DepthwiseStacks} explains why that matters). Taps that fall in
 * the padding are skipped, not multiplied by zeros, and strides and dilations only change which pixel a tap
 * reads: no padded planes, no phases, no shifted copies. The price is one transposition in and one out (scalar
 * strided loops). It wins where output planes are small and channels many, MobileNetV2's later layers, where
 * stacks spend their time on per-row bookkeeping for rows of two or four. Measured at batch 16 on one thread,
 * 3×3 with ReLU6, stacks against this: 960 channels at 2×2, 1,579 against 187 µs; 384 at 4×4, 1,137 against
 * 263; 192 at 8×8, 1,253 against 576; 144 at 16×16 stride 2 (8×8 out), 1,867 against 1,017; but 144 at 16×16
 * stride 1, 2,557 against 5,463, hence {@link #suits}. The gradients run here for the same geometries: a training
 * step at batch 16 (same JVM, alternating) took 32.0 against 37.7 ms for ShuffleNetV2 x0.5 and 139 against 163 ms
 * for MobileNetV2 with their gradients as stacks.
 */
final class DepthwiseChannels {
    /** Channels per chunk: at most this many pixel arrays' floats live at once (input plane plus outputs). */
    private static final int WORKING_SET = 1 << 15;
    /**
     * Per thread: input pixels, output (gradient) pixels, per-tap weights, the bias, input-gradient pixels, per-tap
     * weight gradients.
     */
    private static final ThreadLocal<float[][][]> ARRAYS = ThreadLocal.withInitial(() -> new float[6][0][]);
    private static final int IN = 0;
    private static final int OUT = 1;
    private static final int WEIGHTS = 2;
    private static final int BIAS = 3;
    private static final int GRAD_IN = 4;
    private static final int GRAD_WEIGHTS = 5;

    private DepthwiseChannels() {}

    /** Whether this layout runs the geometry: a channel multiplier of 1 and small planes. */
    static boolean suits(Depthwise.Geometry g) {
        return g.m() == 1 && g.planeOut() <= 64;
    }

    /** Channels per chunk for this geometry: a multiple of 16 (whole vectors), at least 16. */
    private static int chunk(Depthwise.Geometry g, int atLeastChunks) {
        int fit = WORKING_SET / (g.planeIn() + g.planeOut());
        int split = (g.c() + atLeastChunks - 1) / atLeastChunks;
        return Math.min(g.c(), Math.max(16, Math.min(fit, split + 15) / 16 * 16));
    }

    /**
     * The taps that land inside the input, as triples (output pixel, tap, input pixel): padding, strides and
     * dilations are all here, once per call.
     */
    private static int[] taps(Depthwise.Geometry g) {
        int[] table = new int[3 * g.planeOut() * g.taps()];
        int n = 0;
        for (int oh = 0; oh < g.oH(); oh++) {
            for (int ow = 0; ow < g.oW(); ow++) {
                for (int ki = 0; ki < g.kH(); ki++) {
                    int ih = oh * g.sH() - g.pT() + ki * g.dH();
                    for (int kj = 0; kj < g.kW() && ih >= 0 && ih < g.h(); kj++) {
                        int iw = ow * g.sW() - g.pL() + kj * g.dW();
                        if (iw >= 0 && iw < g.w()) {
                            table[n++] = oh * g.oW() + ow;
                            table[n++] = ki * g.kW() + kj;
                            table[n++] = ih * g.w() + iw;
                        }
                    }
                }
            }
        }
        return java.util.Arrays.copyOf(table, n);
    }

    /** w[t][k] = the weight of tap t for channel k: every pixel array spans all channels, and so do these. */
    private static float[][] weights(Depthwise.Geometry g, float[] ws) {
        float[][] w = arrays(WEIGHTS, g.taps(), g.c());
        for (int t = 0; t < g.taps(); t++) {
            float[] wt = w[t];
            for (int k = 0; k < g.c(); k++) {
                wt[k] = ws[k * g.taps() + t];
            }
        }
        return w;
    }

    /** pixels[p][k] = planes[from + k·plane + p] for channels c0 ≤ k &lt; c1: planes to pixel arrays. */
    private static void gather(float[] planes, int from, int plane, float[][] pixels, int c0, int c1) {
        for (int p = 0; p < plane; p++) {
            float[] px = pixels[p];
            for (int k = c0; k < c1; k++) {
                px[k] = planes[from + k * plane + p];
            }
        }
    }

    /** The inverse of {@link #gather}, each value clamped to [lo, hi] on the way. */
    private static void scatter(float[][] pixels, int c0, int c1, float lo, float hi, float[] planes, int to,
            int plane) {
        for (int p = 0; p < plane; p++) {
            float[] px = pixels[p];
            for (int k = c0; k < c1; k++) {
                planes[to + k * plane + p] = Clamp.apply(px[k], lo, hi);
            }
        }
    }

    /** ys = clamp(depthwise(xs, ws) + bs) to [lo, hi]; bs may be null. */
    static void forward(Depthwise.Geometry g, float[] xs, float[] ws, float[] bs, float lo, float hi, float[] ys) {
        int c = g.c();
        float[][] w = weights(g, ws);
        float[] b = arrays(BIAS, 1, c)[0];
        if (bs == null) {
            java.util.Arrays.fill(b, 0, c, 0f);
        } else {
            System.arraycopy(bs, 0, b, 0, c);
        }
        int[] taps = taps(g);
        int chunk = chunk(g, 1);
        int chunks = (c + chunk - 1) / chunk;
        Depthwise.parallel(g.n() * chunks, (long) g.n() * c * g.planeOut() * g.taps(), task -> {
            int image = task / chunks;
            int c0 = task % chunks * chunk;
            int c1 = Math.min(c, c0 + chunk);
            float[][] x = arrays(IN, g.planeIn(), c);
            float[][] y = arrays(OUT, g.planeOut(), c);
            gather(xs, image * c * g.planeIn(), g.planeIn(), x, c0, c1);
            for (int p = 0; p < g.planeOut(); p++) {
                System.arraycopy(b, c0, y[p], c0, c1 - c0);
            }
            for (int e = 0; e < taps.length; e += 3) {
                Depthwise.madd(y[taps[e]], w[taps[e + 1]], x[taps[e + 2]], c0, c1);
            }
            scatter(y, c0, c1, lo, hi, ys, image * c * g.planeOut(), g.planeOut());
        });
    }

    /**
     * dx (may be null) and dw (may be null) from gy: one task per chunk of channels over every image, so that no
     * two tasks add to the same weight's gradient; as many chunks as threads at least.
     */
    static void backward(Depthwise.Geometry g, float[] gs, float[] ws, float[] xs, float[] dxs, float[] dws) {
        int c = g.c();
        float[][] w = dxs != null ? weights(g, ws) : null;
        int[] taps = taps(g);
        int chunk = chunk(g, Math.max(1, Nd4j.getEnvironment().maxThreads()));
        int chunks = (c + chunk - 1) / chunk;
        Depthwise.parallel(chunks, (long) g.n() * c * g.planeOut() * g.taps() * 2, task -> {
            int c0 = task * chunk;
            int c1 = Math.min(c, c0 + chunk);
            float[][] gy = arrays(OUT, g.planeOut(), c);
            float[][] x = dws != null ? arrays(IN, g.planeIn(), c) : null;
            float[][] dx = dxs != null ? arrays(GRAD_IN, g.planeIn(), c) : null;
            float[][] dw = dws != null ? arrays(GRAD_WEIGHTS, g.taps(), c) : null;
            for (int t = 0; dw != null && t < g.taps(); t++) {
                java.util.Arrays.fill(dw[t], c0, c1, 0f);
            }
            for (int image = 0; image < g.n(); image++) {
                gather(gs, image * c * g.planeOut(), g.planeOut(), gy, c0, c1);
                if (x != null) {
                    gather(xs, image * c * g.planeIn(), g.planeIn(), x, c0, c1);
                }
                for (int p = 0; dx != null && p < g.planeIn(); p++) {
                    java.util.Arrays.fill(dx[p], c0, c1, 0f);
                }
                for (int e = 0; e < taps.length; e += 3) {
                    float[] gp = gy[taps[e]];
                    if (dx != null) {
                        Depthwise.madd(dx[taps[e + 2]], w[taps[e + 1]], gp, c0, c1);
                    }
                    if (dw != null) {
                        Depthwise.madd(dw[taps[e + 1]], gp, x[taps[e + 2]], c0, c1);
                    }
                }
                if (dx != null) {
                    scatter(dx, c0, c1, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, dxs,
                            image * c * g.planeIn(), g.planeIn());
                }
            }
            for (int t = 0; dw != null && t < g.taps(); t++) {
                for (int k = c0; k < c1; k++) {
                    dws[k * g.taps() + t] = dw[t][k];
                }
            }
        });
    }

    private static float[][] arrays(int set, int count, int len) {
        return Depthwise.arrays(ARRAYS, set, count, len);
    }
}

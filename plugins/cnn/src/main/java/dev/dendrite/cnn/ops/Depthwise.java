package dev.dendrite.cnn.ops;

import dev.dendrite.tensor.HostArrays;
import dev.dendrite.tensor.Kernels;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Depthwise convolution (groups = input channels, m output channels per input channel) as plain Java loops
 * over NCHW planes, forward and both gradients. libnd4j's {@code depthwise_conv2d} runs it as an im2col and a
 * batched GEMM per channel, 5–50× slower than these loops at MobileNetV2's shapes: a depthwise convolution does
 * a handful of multiply-adds per element it reads, so what matters is streaming memory through vector units.
 * Each plane is first copied into a zero-padded plane (the padding, any and asymmetric, is then just zeros);
 * at stride 1 the output is computed in the padded plane's row pitch, so that one tap is ONE multiply-add loop
 * over the whole plane (about a thousand elements at MobileNet's sizes, which C2 vectorises well) instead of a
 * short loop per row (32 elements: mostly C2's scalar pre- and post-loops). Strided convolutions run a loop per
 * output row. The native arrays are copied to the heap once per call and back (one bulk copy each way); work
 * is split over the backend's threads by input channel, so no two threads write the same sum.
 */
final class Depthwise {
    /**
     * The shapes of one call: input [n, c, h, w], weight [c·m, 1, kH, kW] (PyTorch's layout: output channel
     * c·m + j reads input channel c), output [n, c·m, oH, oW]; pT, pL the top and left padding.
     */
    record Geometry(int n, int c, int m, int h, int w, int kH, int kW, int sH, int sW, int pT, int pL, int dH,
            int dW, int oH, int oW) {
        /** Rows and columns of the padded plane: what the output's windows reach. */
        int hp() {
            return (oH - 1) * sH + (kH - 1) * dH + 1;
        }

        int wp() {
            return (oW - 1) * sW + (kW - 1) * dW + 1;
        }

        /** Elements of one output plane in the padded pitch (stride 1): the length of one tap's loop. */
        int span() {
            return (oH - 1) * wp() + oW;
        }

        boolean unitStride() {
            return sH == 1 && sW == 1;
        }

        /** Offset of tap (ki, kj) in the padded plane. */
        int tap(int ki, int kj) {
            return ki * dH * wp() + kj * dW;
        }
    }

    /** Below this many multiply-adds a call stays on the calling thread. */
    private static final long PARALLEL_WORK = 1 << 18;
    // HostArrays' scratch slots: 0–3 hold a call's whole arrays (on the calling thread), 4–7 one task's planes.

    private Depthwise() {}

    /** Whether these loops take the call: float32 on the CPU backend, every array addressable by an int. */
    static boolean applies(DataType type, long... sizes) {
        return HostArrays.usable(type, sizes);
    }

    /** y = depthwise(x, w) + b; {@code b} may be null. */
    static INDArray forward(Geometry g, INDArray x, INDArray w, INDArray b) {
        INDArray y = Kernels.empty(DataType.FLOAT, g.n(), (long) g.c() * g.m(), g.oH(), g.oW());
        Kernels.host("depthwise_conv2d", new Forward(g), b == null ? new INDArray[] {x, w} : new INDArray[] {x, w, b},
                new INDArray[] {y});
        return y;
    }

    /** The forward kernel: inputs {x, w, optional b}, output {y}. */
    private record Forward(Geometry g) implements Kernels.HostKernel {
        @Override
        public void run(INDArray[] in, INDArray[] out) {
            float[] bias = in.length > 2 ? HostArrays.read(in[2], 2) : null;
            forward(g, HostArrays.read(in[0], 0), HostArrays.read(in[1], 1), bias, out[0]);
        }
    }

    private static void forward(Geometry g, float[] xs, float[] ws, float[] bs, INDArray y) {
        int cm = g.c() * g.m();
        int planeIn = g.h() * g.w();
        int planeOut = g.oH() * g.oW();
        int taps = g.kH() * g.kW();
        float[] ys = HostArrays.scratch(3, g.n() * cm * planeOut);
        parallel(g.n() * g.c(), (long) g.n() * cm * planeOut * taps, p -> {
            int image = p / g.c();
            int c = p % g.c();
            float[] xp = pad(g, xs, p * planeIn, HostArrays.scratch(4, g.hp() * g.wp()));
            float[] yq = g.unitStride() ? HostArrays.scratch(5, g.span()) : null;
            for (int j = 0; j < g.m(); j++) {
                int oc = c * g.m() + j;
                int out = (image * cm + oc) * planeOut;
                float bias = bs == null ? 0f : bs[oc];
                if (g.unitStride()) {
                    Arrays.fill(yq, 0, g.span(), bias);
                    for (int ki = 0; ki < g.kH(); ki++) {
                        for (int kj = 0; kj < g.kW(); kj++) {
                            axpy(yq, 0, ws[oc * taps + ki * g.kW() + kj], xp, g.tap(ki, kj), g.span());
                        }
                    }
                    for (int oh = 0; oh < g.oH(); oh++) {
                        System.arraycopy(yq, oh * g.wp(), ys, out + oh * g.oW(), g.oW());
                    }
                } else {
                    Arrays.fill(ys, out, out + planeOut, bias);
                    for (int ki = 0; ki < g.kH(); ki++) {
                        for (int kj = 0; kj < g.kW(); kj++) {
                            float wv = ws[oc * taps + ki * g.kW() + kj];
                            for (int oh = 0; oh < g.oH(); oh++) {
                                axpyStrided(ys, out + oh * g.oW(), wv, xp, oh * g.sH() * g.wp() + g.tap(ki, kj),
                                        g.sW(), g.oW());
                            }
                        }
                    }
                }
            }
        });
        HostArrays.write(ys, y);
    }

    /**
     * The gradients of {@code forward} from the output's gradient {@code gy}: {dx, dw} (each null when not wanted),
     * dw in PyTorch's layout [c·m, 1, kH, kW]. One task per input channel, over every image: it owns that channel's
     * input gradient planes and its m weight gradients.
     */
    static INDArray[] backward(Geometry g, INDArray x, INDArray w, INDArray gy, boolean wantX, boolean wantW) {
        INDArray dx = wantX ? Kernels.empty(DataType.FLOAT, g.n(), g.c(), g.h(), g.w()) : null;
        INDArray dw = wantW ? Kernels.empty(DataType.FLOAT, (long) g.c() * g.m(), 1, g.kH(), g.kW()) : null;
        if (wantX || wantW) {
            Kernels.host("depthwise_conv2d_bp", new Backward(g, wantX, wantW),
                    wantW ? new INDArray[] {gy, w, x} : new INDArray[] {gy, w},
                    wantX && wantW ? new INDArray[] {dx, dw} : new INDArray[] {wantX ? dx : dw});
        }
        return new INDArray[] {dx, dw};
    }

    /** The backward kernel: inputs {gy, w, x if wantW}, outputs {dx if wantX, dw if wantW}. */
    private record Backward(Geometry g, boolean wantX, boolean wantW) implements Kernels.HostKernel {
        @Override
        public void run(INDArray[] in, INDArray[] out) {
            float[] x = wantW ? HostArrays.read(in[2], 2) : null;
            backward(g, HostArrays.read(in[0], 0), HostArrays.read(in[1], 1), x, wantX ? out[0] : null,
                    wantW ? out[wantX ? 1 : 0] : null);
        }
    }

    private static void backward(Geometry g, float[] gs, float[] ws, float[] xs, INDArray dx, INDArray dw) {
        boolean wantX = dx != null;
        boolean wantW = dw != null;
        int cm = g.c() * g.m();
        int planeIn = g.h() * g.w();
        int planeOut = g.oH() * g.oW();
        int taps = g.kH() * g.kW();
        int hw = g.hp() * g.wp();
        float[] dxs = wantX ? HostArrays.scratch(3, g.n() * g.c() * planeIn) : null;
        float[] dws = new float[cm * taps];
        parallel(g.c(), (long) g.n() * cm * planeOut * taps * 2, c -> {
            // acc: per tap, partial sums of its weight gradient, summed once after every image.
            int accLen = g.unitStride() ? g.span() : g.oW();
            float[] acc = wantW ? HostArrays.scratch(4, taps * accLen) : null;
            float[] xp = wantW ? HostArrays.scratch(5, hw) : null;
            float[] dxp = wantX ? HostArrays.scratch(6, hw) : null;
            float[] gq = g.unitStride() ? HostArrays.scratch(7, g.span()) : null;
            for (int j = 0; j < g.m(); j++) {
                int oc = c * g.m() + j;
                if (wantW) {
                    Arrays.fill(acc, 0, taps * accLen, 0f);
                }
                for (int image = 0; image < g.n(); image++) {
                    int out = (image * cm + oc) * planeOut;
                    if (wantW) {
                        pad(g, xs, (image * g.c() + c) * planeIn, xp);
                    }
                    if (wantX && j == 0) {
                        Arrays.fill(dxp, 0, hw, 0f);
                    } else if (wantX) {
                        // The earlier output channels' sums, back in the padded plane (the inverse of crop).
                        pad(g, dxs, (image * g.c() + c) * planeIn, dxp);
                    }
                    if (g.unitStride()) {
                        pitch(g, gs, out, gq);
                    }
                    for (int ki = 0; ki < g.kH(); ki++) {
                        for (int kj = 0; kj < g.kW(); kj++) {
                            int t = ki * g.kW() + kj;
                            float wv = ws[oc * taps + t];
                            int off = g.tap(ki, kj);
                            if (g.unitStride()) {
                                if (wantX) {
                                    axpy(dxp, off, wv, gq, 0, g.span());
                                }
                                if (wantW) {
                                    mulAdd(acc, t * accLen, gq, 0, xp, off, g.span());
                                }
                            } else {
                                for (int oh = 0; oh < g.oH(); oh++) {
                                    int row = oh * g.sH() * g.wp() + off;
                                    if (wantX) {
                                        scatterStrided(dxp, row, g.sW(), wv, gs, out + oh * g.oW(), g.oW());
                                    }
                                    if (wantW) {
                                        mulAddStrided(acc, t * accLen, gs, out + oh * g.oW(), xp, row, g.sW(), g.oW());
                                    }
                                }
                            }
                        }
                    }
                    if (wantX) {
                        crop(g, dxp, dxs, (image * g.c() + c) * planeIn);
                    }
                }
                if (wantW) {
                    for (int t = 0; t < taps; t++) {
                        float s = 0f;
                        for (int q = t * accLen; q < (t + 1) * accLen; q++) {
                            s += acc[q];
                        }
                        dws[oc * taps + t] = s;
                    }
                }
            }
        });
        if (wantX) {
            HostArrays.write(dxs, dx);
        }
        if (wantW) {
            HostArrays.write(dws, dw);
        }
    }

    /** The input plane at {@code from} in {@code xs}, zero-padded into {@code xp} [hp, wp]; returns xp. */
    private static float[] pad(Geometry g, float[] xs, int from, float[] xp) {
        int wp = g.wp();
        Arrays.fill(xp, 0, g.hp() * wp, 0f);
        int cols = Math.min(g.w(), wp - g.pL());
        int rows = Math.min(g.h(), g.hp() - g.pT());
        for (int ih = 0; cols > 0 && ih < rows; ih++) {
            System.arraycopy(xs, from + ih * g.w(), xp, (ih + g.pT()) * wp + g.pL(), cols);
        }
        return xp;
    }

    /** The input-gradient plane from {@code dxp} (padded) into {@code dxs} at {@code to}; uncovered cells get 0. */
    private static void crop(Geometry g, float[] dxp, float[] dxs, int to) {
        int wp = g.wp();
        int cols = Math.max(0, Math.min(g.w(), wp - g.pL()));
        int rows = Math.max(0, Math.min(g.h(), g.hp() - g.pT()));
        for (int ih = 0; ih < g.h(); ih++) {
            int row = to + ih * g.w();
            if (ih < rows) {
                System.arraycopy(dxp, (ih + g.pT()) * wp + g.pL(), dxs, row, cols);
                Arrays.fill(dxs, row + cols, row + g.w(), 0f);
            } else {
                Arrays.fill(dxs, row, row + g.w(), 0f);
            }
        }
    }

    /** The output-gradient plane at {@code from} in the padded row pitch, the columns past oW zero. */
    private static void pitch(Geometry g, float[] gs, int from, float[] gq) {
        int wp = g.wp();
        Arrays.fill(gq, 0, g.span(), 0f);
        for (int oh = 0; oh < g.oH(); oh++) {
            System.arraycopy(gs, from + oh * g.oW(), gq, oh * wp, g.oW());
        }
    }

    /** y[yo + i] += a · x[xo + i], i < len: the loop C2 vectorises. */
    private static void axpy(float[] y, int yo, float a, float[] x, int xo, int len) {
        for (int i = 0; i < len; i++) {
            y[yo + i] += a * x[xo + i];
        }
    }

    /** y[yo + i] += a · x[xo + i·stride], i < len. */
    private static void axpyStrided(float[] y, int yo, float a, float[] x, int xo, int stride, int len) {
        for (int i = 0; i < len; i++) {
            y[yo + i] += a * x[xo + i * stride];
        }
    }

    /** dx[xo + i·stride] += a · g[go + i], i < len. */
    private static void scatterStrided(float[] dx, int xo, int stride, float a, float[] g, int go, int len) {
        for (int i = 0; i < len; i++) {
            dx[xo + i * stride] += a * g[go + i];
        }
    }

    /**
     * acc[ao + i] += g[go + i] · x[xo + i], i < len: a weight gradient's products kept element-wise, summed once
     * at the end, because C2 does not vectorise an ordered float sum.
     */
    private static void mulAdd(float[] acc, int ao, float[] g, int go, float[] x, int xo, int len) {
        for (int i = 0; i < len; i++) {
            acc[ao + i] += g[go + i] * x[xo + i];
        }
    }

    /** acc[ao + i] += g[go + i] · x[xo + i·stride], i < len. */
    private static void mulAddStrided(float[] acc, int ao, float[] g, int go, float[] x, int xo, int stride,
            int len) {
        for (int i = 0; i < len; i++) {
            acc[ao + i] += g[go + i] * x[xo + i * stride];
        }
    }

    /** Runs body(0 .. tasks-1), over the backend's threads when the call is big enough to pay for them. */
    private static void parallel(int tasks, long work, java.util.function.IntConsumer body) {
        if (work < PARALLEL_WORK || tasks < 2 || Nd4j.getEnvironment().maxThreads() < 2) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
        } else {
            IntStream.range(0, tasks).parallel().forEach(body);
        }
    }
}

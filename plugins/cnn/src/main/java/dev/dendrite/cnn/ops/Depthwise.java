package dev.dendrite.cnn.ops;

import dev.dendrite.ops.Clamp;
import dev.dendrite.tensor.HostArrays;
import dev.dendrite.tensor.Kernels;
import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Depthwise convolution (groups = input channels, m output channels per input channel) as Java loops over NCHW
 * planes, forward and both gradients, run as {@link Kernels#host} calls. libnd4j's {@code depthwise_conv2d} runs
 * it as an im2col and a batched GEMM per channel, 5–50× slower at MobileNetV2's shapes: a depthwise convolution
 * does a handful of multiply-adds per element it reads, so what matters is streaming memory through vector
 * units. Each plane is copied into zero-padded planes first (any padding, asymmetric too, is then zeros).
 * A strided convolution is first split into its stride phases (rows mod sH, columns mod sW), on which every
 * tap is a stride-1 convolution, and all of it runs as {@link DepthwiseStacks}: whole stacks of planes per
 * vectorised loop. A forward whose output planes are small runs as {@link DepthwiseChannels} instead, channels
 * innermost. The native arrays are copied to the heap once per call and
 * back (one bulk copy each way); work is split over the backend's threads by input channel, so no two threads
 * write the same sum.
 */
final class Depthwise {
    /**
     * The shapes of one call: input [n, c, h, w], weight [c·m, 1, kH, kW] (PyTorch's layout: output channel
     * c·m + j reads input channel c), output [n, c·m, oH, oW]; pT, pL the top and left padding.
     */
    record Geometry(int n, int c, int m, int h, int w, int kH, int kW, int sH, int sW, int pT, int pL, int dH,
            int dW, int oH, int oW) {
        /** Rows of the padded plane: what the output's windows reach. */
        int hp() {
            return (oH - 1) * sH + (kH - 1) * dH + 1;
        }

        /** Columns of the padded plane. */
        int wp() {
            return (oW - 1) * sW + (kW - 1) * dW + 1;
        }

        /** Phases of a strided convolution: (row mod sH, column mod sW) of the padded plane, sH·sW of them. */
        int phases() {
            return sH * sW;
        }

        /** Rows and columns of one phase plane, and its elements. */
        int hq() {
            return (hp() + sH - 1) / sH;
        }

        int wq() {
            return (wp() + sW - 1) / sW;
        }

        int pp() {
            return hq() * wq();
        }

        /** Elements of one output plane laid out in the phase plane's row pitch. */
        int span() {
            return (oH - 1) * wq() + oW;
        }

        int taps() {
            return kH * kW;
        }

        /** The phase tap t = ki·kW + kj reads. */
        int phase(int t) {
            return t / kW * dH % sH * sW + t % kW * dW % sW;
        }

        /** Offset of tap t in its phase plane. */
        int tap(int t) {
            return t / kW * dH / sH * wq() + t % kW * dW / sW;
        }

        int planeIn() {
            return h * w;
        }

        int planeOut() {
            return oH * oW;
        }
    }

    /** Below this many multiply-adds a call stays on the calling thread. */
    private static final long PARALLEL_WORK = 1 << 18;

    private Depthwise() {}

    /** y = clamp(depthwise(x, w) + b); {@code b} and {@code clamp} may be null. */
    static INDArray forward(Geometry g, INDArray x, INDArray w, INDArray b, Clamp clamp) {
        INDArray y = Kernels.empty(DataType.FLOAT, g.n(), (long) g.c() * g.m(), g.oH(), g.oW());
        float lo = clamp == null ? Float.NEGATIVE_INFINITY : (float) clamp.min();
        float hi = clamp == null ? Float.POSITIVE_INFINITY : (float) clamp.max();
        INDArray[] in = b == null ? new INDArray[] {x, w} : new INDArray[] {x, w, b};
        Kernels.host("depthwise_conv2d", new Forward(g, lo, hi), in, new INDArray[] {y});
        return y;
    }

    /**
     * The gradients of {@code forward} from the output's gradient {@code gy}: {dx, dw} (each null when not wanted),
     * dw in PyTorch's layout [c·m, 1, kH, kW].
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

    /**
     * The forward kernel: inputs {x, w, optional b}, output {y} clamped to [lo, hi]. HostArrays slots 0–3 hold a
     * call's arrays.
     */
    private record Forward(Geometry g, float lo, float hi) implements Kernels.HostKernel {
        @Override
        public void run(INDArray[] in, INDArray[] out) {
            float[] x = HostArrays.read(in[0], 0);
            float[] w = HostArrays.read(in[1], 1);
            float[] b = in.length > 2 ? HostArrays.read(in[2], 2) : null;
            float[] y = HostArrays.scratch(3, g.n() * g.c() * g.m() * g.planeOut());
            if (DepthwiseChannels.suits(g)) {
                DepthwiseChannels.forward(g, x, w, b, lo, hi, y);
            } else {
                DepthwiseStacks.forward(g, x, w, b, lo, hi, y);
            }
            HostArrays.write(y, out[0]);
        }
    }

    /** The backward kernel: inputs {gy, w, x if wantW}, outputs {dx if wantX, dw if wantW}. */
    private record Backward(Geometry g, boolean wantX, boolean wantW) implements Kernels.HostKernel {
        @Override
        public void run(INDArray[] in, INDArray[] out) {
            float[] gy = HostArrays.read(in[0], 0);
            float[] w = wantX ? HostArrays.read(in[1], 1) : null; // the weights only shape the input gradient
            float[] x = wantW ? HostArrays.read(in[2], 2) : null;
            float[] dx = wantX ? HostArrays.scratch(3, g.n() * g.c() * g.planeIn()) : null;
            float[] dw = wantW ? new float[g.c() * g.m() * g.taps()] : null;
            if (DepthwiseChannels.suits(g)) {
                DepthwiseChannels.backward(g, gy, w, x, dx, dw);
            } else {
                DepthwiseStacks.backward(g, gy, w, x, dx, dw);
            }
            if (wantX) {
                HostArrays.write(dx, out[0]);
            }
            if (wantW) {
                HostArrays.write(dw, out[wantX ? 1 : 0]);
            }
        }
    }

    /** Runs body(0 .. tasks-1), over the backend's threads when the call is big enough to pay for them. */
    static void parallel(int tasks, long work, IntConsumer body) {
        if (work < PARALLEL_WORK || tasks < 2 || Nd4j.getEnvironment().maxThreads() < 2) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
        } else {
            IntStream.range(0, tasks).parallel().forEach(body);
        }
    }

    /**
     * Input plane {@code plane} of {@code xs} as its zero-padded phase planes: phase (a, b) at {@code at} of
     * {@code xq[a·sW + b]} holds padded rows a, a + sH, ... and columns b, b + sW, ... (stride 1: the padded plane).
     */
    static void load(Geometry g, float[] xs, int plane, float[][] xq, int at) {
        for (int ph = 0; ph < g.phases(); ph++) {
            Arrays.fill(xq[ph], at, at + g.pp(), 0f);
        }
        copy(g, xs, plane, xq, at, true);
    }

    /** The inverse of {@link #load} for a gradient: phase planes at {@code at} into plane {@code plane} of dxs. */
    static void store(Geometry g, float[][] dq, int at, float[] dxs, int plane) {
        Arrays.fill(dxs, plane * g.planeIn(), (plane + 1) * g.planeIn(), 0f);
        copy(g, dxs, plane, dq, at, false);
    }

    /** Copies the input positions every phase plane covers, into the phases or (toPhases false) back. */
    private static void copy(Geometry g, float[] flat, int plane, float[][] q, int at, boolean toPhases) {
        int base = plane * g.planeIn();
        for (int a = 0; a < g.sH(); a++) {
            for (int b = 0; b < g.sW(); b++) {
                float[] p = q[a * g.sW() + b];
                // Padded column c·sW + b is input column c·sW + b − pL: the phase columns inside the input.
                int c0 = Math.max(0, ceilDiv(g.pL() - b, g.sW()));
                int c1 = Math.min(g.wq(), ceilDiv(g.w() + g.pL() - b, g.sW()));
                for (int r = 0; r < g.hq() && c1 > c0; r++) {
                    int ih = r * g.sH() + a - g.pT();
                    if (ih < 0 || ih >= g.h()) {
                        continue;
                    }
                    int f = base + ih * g.w() + c0 * g.sW() + b - g.pL();
                    int i = at + r * g.wq() + c0;
                    if (g.sW() == 1) {
                        System.arraycopy(toPhases ? flat : p, toPhases ? f : i, toPhases ? p : flat, toPhases ? i : f,
                                c1 - c0);
                    } else if (toPhases) {
                        for (int c = 0; c < c1 - c0; c++) {
                            p[i + c] = flat[f + c * g.sW()];
                        }
                    } else {
                        for (int c = 0; c < c1 - c0; c++) {
                            flat[f + c * g.sW()] = p[i + c];
                        }
                    }
                }
            }
        }
    }

    /** y[i] += a[i] · b[i], from ≤ i &lt; to: every array indexed alike, the loop C2 vectorises. */
    static void madd(float[] y, float[] a, float[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] += a[i] * b[i];
        }
    }

    /** This thread's {@code count} arrays of set {@code set} of {@code pool}, each at least {@code len} long. */
    static float[][] arrays(ThreadLocal<float[][][]> pool, int set, int count, int len) {
        float[][][] all = pool.get();
        if (all[set].length < count) {
            all[set] = Arrays.copyOf(all[set], count);
        }
        float[][] a = all[set];
        for (int t = 0; t < count; t++) {
            if (a[t] == null || a[t].length < len) {
                a[t] = new float[len];
            }
        }
        return a;
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}

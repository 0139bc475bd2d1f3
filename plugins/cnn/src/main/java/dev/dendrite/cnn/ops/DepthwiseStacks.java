package dev.dendrite.cnn.ops;

import dev.dendrite.ops.Clamp;
import dev.dendrite.tensor.HostArrays;
import java.util.Arrays;

/**
 * A depthwise convolution's loops ({@link Depthwise}) over stacks of phase planes. Consecutive channels' zero-padded
 * phase planes (one per stride phase; stride 1 has one, the padded plane) are laid end to end, and the output is
 * computed in the phase plane's row pitch, so that one tap is ONE multiply-add loop over the whole stack:
 * y[i] += w[i]·s[i], with s the tap's phase stack shifted by the tap's offset (a copy of its own) and w the tap's
 * weight per plane spread over its plane. Positions between planes' outputs are computed and dropped. Two things
 * make it fast under C2 (JDK 17), measured: a loop is vectorised only when all its arrays are indexed alike (with
 * different offsets it ran 6× slower, scalar), hence the copies; and a short loop is mostly C2's scalar pre- and
 * post-loops (a 2×2 plane of MobileNet's last layers is 6 elements), hence stacks of about {@link #STACK}
 * elements. HostArrays slot 6 holds one task's output (gradient) stack.
 */
final class DepthwiseStacks {
    /** Elements of a stack: planes are stacked until one tap's loop runs over about this many. */
    private static final int STACK = 4096;
    /** Per thread, arrays per tap or phase: shifted stacks, spread gradients, products, weights, phases. */
    private static final ThreadLocal<float[][][]> ARRAYS = ThreadLocal.withInitial(() -> new float[6][0][]);
    private static final int SHIFTED = 0;
    private static final int SPREAD = 1;
    private static final int ACC = 2;
    private static final int WEIGHTS = 3;
    private static final int PHASES = 4;
    private static final int GRAD_PHASES = 5;

    private DepthwiseStacks() {}

    /** Input channels per stack. */
    private static int planes(Depthwise.Geometry g) {
        return Math.max(1, Math.min(g.c(), STACK / g.pp()));
    }

    /** ys = clamp(depthwise(xs, ws) + bs) to [lo, hi] (±∞: none); bs may be null. */
    static void forward(Depthwise.Geometry g, float[] xs, float[] ws, float[] bs, float lo, float hi, float[] ys) {
        boolean clamped = lo > Float.NEGATIVE_INFINITY || hi < Float.POSITIVE_INFINITY;
        int per = planes(g);
        int cm = g.c() * g.m();
        Depthwise.parallel((g.c() + per - 1) / per, (long) g.n() * cm * g.planeOut() * g.taps(), s -> {
            int c0 = s * per;
            int pc = Math.min(per, g.c() - c0);
            int len = pc * g.pp();
            int span = (pc - 1) * g.pp() + g.span();
            float[][] xq = arrays(PHASES, g.phases(), len);
            float[] yq = HostArrays.scratch(6, span);
            float[][] w0 = g.m() == 1 ? weights(g, ws, c0, pc, 0, len) : null;
            for (int image = 0; image < g.n(); image++) {
                for (int k = 0; k < pc; k++) {
                    Depthwise.load(g, xs, image * g.c() + c0 + k, xq, k * g.pp());
                }
                float[][] shifted = shifted(g, xq, span);
                for (int j = 0; j < g.m(); j++) {
                    float[][] w = w0 != null ? w0 : weights(g, ws, c0, pc, j, len);
                    for (int k = 0; k < pc; k++) {
                        float bias = bs == null ? 0f : bs[(c0 + k) * g.m() + j];
                        Arrays.fill(yq, k * g.pp(), Math.min(span, (k + 1) * g.pp()), bias);
                    }
                    for (int t = 0; t < g.taps(); t++) {
                        Depthwise.madd(yq, w[t], shifted[t], 0, span);
                    }
                    for (int k = 0; k < pc; k++) {
                        int out = (image * cm + (c0 + k) * g.m() + j) * g.planeOut();
                        for (int oh = 0; oh < g.oH(); oh++) {
                            int from = k * g.pp() + oh * g.wq();
                            int to = out + oh * g.oW();
                            if (clamped) {
                                for (int i = 0; i < g.oW(); i++) {
                                    ys[to + i] = Clamp.apply(yq[from + i], lo, hi);
                                }
                            } else {
                                System.arraycopy(yq, from, ys, to, g.oW());
                            }
                        }
                    }
                }
            }
        });
    }

    /** dx (may be null) and dw (may be null) from gy; one task per stack of input channels, over every image. */
    static void backward(Depthwise.Geometry g, float[] gs, float[] ws, float[] xs, float[] dxs, float[] dws) {
        int per = planes(g);
        int cm = g.c() * g.m();
        int taps = g.taps();
        Depthwise.parallel((g.c() + per - 1) / per, (long) g.n() * cm * g.planeOut() * taps * 2, s -> {
            int c0 = s * per;
            int pc = Math.min(per, g.c() - c0);
            int len = pc * g.pp();
            int span = (pc - 1) * g.pp() + g.span();
            float[][] xq = dws != null ? arrays(PHASES, g.phases(), len) : null;
            float[][] dq = dxs != null ? arrays(GRAD_PHASES, g.phases(), len) : null;
            float[] gq = HostArrays.scratch(6, span);
            for (int j = 0; j < g.m(); j++) {
                float[][] w = dxs != null ? weights(g, ws, c0, pc, j, len) : null;
                float[][] acc = dws != null ? arrays(ACC, taps, span) : null;
                for (int t = 0; acc != null && t < taps; t++) {
                    Arrays.fill(acc[t], 0, span, 0f);
                }
                for (int image = 0; image < g.n(); image++) {
                    // The output gradient's planes in the stack's pitch, zero wherever no output is.
                    Arrays.fill(gq, 0, span, 0f);
                    for (int k = 0; k < pc; k++) {
                        int out = (image * cm + (c0 + k) * g.m() + j) * g.planeOut();
                        for (int oh = 0; oh < g.oH(); oh++) {
                            System.arraycopy(gs, out + oh * g.oW(), gq, k * g.pp() + oh * g.wq(), g.oW());
                        }
                    }
                    if (dws != null) {
                        for (int k = 0; k < pc; k++) {
                            Depthwise.load(g, xs, image * g.c() + c0 + k, xq, k * g.pp());
                        }
                        float[][] shifted = shifted(g, xq, span);
                        for (int t = 0; t < taps; t++) {
                            Depthwise.madd(acc[t], gq, shifted[t], 0, span);
                        }
                    }
                    if (dxs != null) {
                        for (int k = 0; k < pc; k++) {
                            if (j == 0) {
                                for (int ph = 0; ph < g.phases(); ph++) {
                                    Arrays.fill(dq[ph], k * g.pp(), (k + 1) * g.pp(), 0f);
                                }
                            } else {
                                Depthwise.load(g, dxs, image * g.c() + c0 + k, dq, k * g.pp()); // earlier j's sums
                            }
                        }
                        float[][] spread = spread(g, gq, span, len);
                        for (int t = 0; t < taps; t++) {
                            Depthwise.madd(dq[g.phase(t)], w[t], spread[t], 0, len);
                        }
                        for (int k = 0; k < pc; k++) {
                            Depthwise.store(g, dq, k * g.pp(), dxs, image * g.c() + c0 + k);
                        }
                    }
                }
                for (int k = 0; acc != null && k < pc; k++) {
                    for (int t = 0; t < taps; t++) {
                        double sum = 0;
                        for (int i = k * g.pp(); i < Math.min(span, (k + 1) * g.pp()); i++) {
                            sum += acc[t][i];
                        }
                        dws[((c0 + k) * g.m() + j) * taps + t] = (float) sum;
                    }
                }
            }
        });
    }

    /** w[t][i] = the weight of tap t for the plane holding stack position i (output channel (c0 + k)·m + j). */
    private static float[][] weights(Depthwise.Geometry g, float[] ws, int c0, int pc, int j, int len) {
        float[][] w = arrays(WEIGHTS, g.taps(), len);
        for (int t = 0; t < g.taps(); t++) {
            for (int k = 0; k < pc; k++) {
                Arrays.fill(w[t], k * g.pp(), (k + 1) * g.pp(), ws[((c0 + k) * g.m() + j) * g.taps() + t]);
            }
        }
        return w;
    }

    /** s[t][i] = tap t's phase stack at i + its offset, i < span: what tap t multiplies, as an array of its own. */
    private static float[][] shifted(Depthwise.Geometry g, float[][] xq, int span) {
        float[][] s = arrays(SHIFTED, g.taps(), span);
        for (int t = 0; t < g.taps(); t++) {
            System.arraycopy(xq[g.phase(t)], g.tap(t), s[t], 0, span);
        }
        return s;
    }

    /**
     * d[t][p] = gq[p − tap t's offset] (0 outside), p < len: the output gradient placed where tap t's products came
     * from, so that the input gradient's phase planes are Σ over the phase's taps of w_t · d[t].
     */
    private static float[][] spread(Depthwise.Geometry g, float[] gq, int span, int len) {
        float[][] d = arrays(SPREAD, g.taps(), len);
        for (int t = 0; t < g.taps(); t++) {
            int off = g.tap(t);
            Arrays.fill(d[t], 0, off, 0f);
            System.arraycopy(gq, 0, d[t], off, span);
            Arrays.fill(d[t], off + span, len, 0f);
        }
        return d;
    }

    private static float[][] arrays(int set, int count, int len) {
        return Depthwise.arrays(ARRAYS, set, count, len);
    }
}

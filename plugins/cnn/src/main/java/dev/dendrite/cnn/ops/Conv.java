package dev.dendrite.cnn.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.ops.Clamp;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.HostArrays;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Convolution as PyTorch and ONNX define it (a cross-correlation): input [N, C, L] or [N, C, H, W], weight
 * [out, C/groups, k...], optional bias [out]. One native {@code conv2d} call (1-D runs as [N, C, 1, L]);
 * depthwise convolution ({@code groups = C}) runs as {@link Depthwise}'s loops in float32 on the CPU (libnd4j's
 * {@code depthwise_conv2d} otherwise), other groupings one {@code conv2d} per group. Asymmetric padding ("same"
 * with an even kernel) is added with a native pad first, because libnd4j's own padding is symmetric. Backward:
 * the matching {@code _bp} kernels, and Σ g for the bias.
 */
final class Conv extends Function {
    private static final long NCHW = 0;
    /** libnd4j's weight format 1: [out, in, kH, kW], PyTorch's layout. */
    private static final long OIHW = 1;
    /**
     * Weights from which the backward runs off oneDNN ({@link ConvGemm#backward}, as a dilated one must): oneDNN's
     * backward (ND4J M2.1) is pathological at 512 channels — 512→512 3×3 at batch 16 took 406–478 ms for any
     * spatial size from 1×1 to 4×4, against 4–55 ms for libnd4j's own kernel; 256→512 33 against 9 ms; at 256→256
     * (590k weights) oneDNN is still 2× faster (2.9 against 5.5 ms at 2×2). ResNet-18's last stage is four such
     * convolutions.
     */
    private static final long ONE_DNN_BACKWARD_MAX_WEIGHTS = 1 << 20;
    /**
     * Weights from which a stride-1 3×3 backward on oneDNN runs on one thread when there are more: oneDNN's
     * Winograd weight gradient sums per-thread copies of it, and at batch 16 256→256 at 4×4 (590k weights) took
     * 36.9 ms on two threads against 3.6 on one (ResNet-18 has three: its step was slower on two threads than on
     * one); 128→128 at 8×8 (147k) was still 2.1 against 2.8 ms.
     */
    private static final long ONE_DNN_SERIAL_BACKWARD_WEIGHTS = 1 << 19;

    private final int spatial;
    private final long[] stride;
    /** {top, left, bottom, right}, ONNX's order; 1-D padding sits in left/right. */
    private final long[] pads;
    private final long[] dilation;
    private final long groups;
    /** The activation fused into the output, or null. */
    private final Clamp clamp;

    private long[] xShape;
    private long[] wShape;
    private long[] kernel;
    private long[] nativePad;
    private boolean explicitPad;
    private boolean hasBias;
    private boolean depthwise;
    /** Set when the Java depthwise loops ({@link Depthwise}) run this call. */
    private Depthwise.Geometry loops;
    private boolean empty;
    private INDArray xp;
    private INDArray w4;
    private long[] iArgs;
    /** The (clamped) output, which the clamp's gradient reads. */
    private INDArray out;

    /**
     * @param stride {sH, sW}; @param pads {top, left, bottom, right}; @param dilation {dH, dW}. A 1-D
     *     convolution passes sH = dH = 1 and top = bottom = 0. @param clamp applied to the output; may be null.
     */
    Conv(int spatial, long[] stride, long[] pads, long[] dilation, long groups, Clamp clamp) {
        this.clamp = clamp;
        this.spatial = spatial;
        this.stride = stride.clone();
        this.pads = pads.clone();
        this.dilation = dilation.clone();
        this.groups = groups;
        if (stride[0] < 1 || stride[1] < 1 || dilation[0] < 1 || dilation[1] < 1 || groups < 1 || pads[0] < 0
                || pads[1] < 0 || pads[2] < 0 || pads[3] < 0) {
            throw new ShapeException(name() + ": stride, dilation and groups must be >= 1 and padding >= 0, got stride "
                    + Window.pair(stride) + ", dilation " + Window.pair(dilation) + ", padding "
                    + java.util.Arrays.toString(pads) + ", groups " + groups);
        }
    }

    @Override
    public String name() {
        return spatial == 1 ? "conv1d" : "conv2d";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        String op = name();
        if (in.length < 2 || in.length > 3) {
            throw new ShapeException(op + ": expected input, weight and optional bias, got " + in.length + " inputs");
        }
        DataType type = Shapes.sameFloating(op, in);
        INDArray x = in[0];
        INDArray w = in[1];
        if (w.rank() != spatial + 2) {
            throw new ShapeException(op + ": expected a rank-" + (spatial + 2) + " weight [out, in/groups, "
                    + (spatial == 1 ? "k" : "kH, kW") + "], got shape " + Shapes.str(w.shape()));
        }
        long cOut = w.size(0);
        long cPerGroup = w.size(1);
        if (cOut % groups != 0 || cOut == 0 || cPerGroup == 0) {
            throw new ShapeException(op + ": weight " + Shapes.str(w.shape()) + " has " + cOut
                    + " output channels, which must be a positive multiple of groups = " + groups);
        }
        long cIn = cPerGroup * groups;
        Window.requireInput(op, x, spatial, String.valueOf(cIn));
        if (x.size(1) != cIn) {
            throw new ShapeException(op + ": expected input " + Window.layout(spatial, String.valueOf(cIn)) + " (weight "
                    + Shapes.str(w.shape()) + ", groups " + groups + "), got shape " + Shapes.str(x.shape()));
        }
        hasBias = in.length == 3;
        if (hasBias && (in[2].rank() != 1 || in[2].size(0) != cOut)) {
            throw new ShapeException(op + ": expected bias [" + cOut + "], got shape " + Shapes.str(in[2].shape()));
        }
        xShape = x.shape();
        wShape = w.shape();
        long n = x.size(0);
        INDArray x4 = spatial == 1 ? x.reshape('c', n, cIn, 1, x.size(2)) : x;
        w4 = spatial == 1 ? w.reshape('c', cOut, cPerGroup, 1, w.size(2)) : w;
        kernel = new long[] {w4.size(2), w4.size(3)};
        long oH = Window.outSize(op, xShape, 0, x4.size(2), pads[0], pads[2], kernel[0], stride[0], dilation[0]);
        long oW = Window.outSize(op, xShape, spatial - 1, x4.size(3), pads[1], pads[3], kernel[1], stride[1],
                dilation[1]);
        long[] outShape = spatial == 1 ? new long[] {n, cOut, oW} : new long[] {n, cOut, oH, oW};
        empty = Shapes.numel(xShape) == 0;
        if (empty) {
            return new INDArray[] {Kernels.full(type, 0, outShape)};
        }
        depthwise = groups > 1 && cPerGroup == 1;
        loops = null;
        // The padded plane the loops work on, in double so that absurd strides or dilations cannot overflow it.
        double plane = ((oH - 1.0) * stride[0] + (kernel[0] - 1.0) * dilation[0] + 1)
                * ((oW - 1.0) * stride[1] + (kernel[1] - 1.0) * dilation[1] + 1);
        if (depthwise && plane < 1 << 28
                && below(1 << 28, stride[0], stride[1], dilation[0], dilation[1], pads[0], pads[1])
                && HostArrays.usable(type, Shapes.numel(xShape), Shapes.numel(outShape), Shapes.numel(wShape))) {
            loops = new Depthwise.Geometry((int) n, (int) cIn, (int) (cOut / cIn), (int) x4.size(2), (int) x4.size(3),
                    (int) kernel[0], (int) kernel[1], (int) stride[0], (int) stride[1], (int) pads[0], (int) pads[1],
                    (int) dilation[0], (int) dilation[1], (int) oH, (int) oW);
            xp = x4;
            out = Depthwise.forward(loops, x4, w4, hasBias ? in[2] : null, clamp);
            return new INDArray[] {spatial == 1 ? out.reshape('c', outShape) : out};
        }
        explicitPad = pads[0] != pads[2] || pads[1] != pads[3];
        nativePad = explicitPad ? new long[] {0, 0} : new long[] {pads[0], pads[1]};
        xp = explicitPad ? Native.padOrCrop(x4, pads, 0) : x4;
        iArgs = Window.iArgs(kernel, stride, nativePad, dilation, NCHW, OIHW);
        if (depthwise) {
            // PyTorch's depthwise weight [C·m, 1, kH, kW] (output channel c·m + j) is libnd4j's [m, C, kH, kW].
            w4 = Kernels.permute(w4.reshape('c', cIn, cOut / cIn, kernel[0], kernel[1]), 1, 0, 2, 3);
        }
        boolean gemm = groups == 1 && ConvGemm.fits(xp, w4);
        boolean pointwise = gemm && kernel[0] == 1 && kernel[1] == 1 && stride[0] == 1 && stride[1] == 1
                && nativePad[0] == 0 && nativePad[1] == 0 && ConvGemm.pointwiseWins(n, oH * oW);
        boolean unfolded = gemm && !pointwise && ConvGemm.unfoldedWins(n, oH * oW);
        INDArray y = pointwise || unfolded ? null : Kernels.empty(type, n, cOut, oH, oW);
        if (pointwise) {
            y = ConvGemm.pointwise(xp, w4, hasBias ? in[2] : null);
        } else if (unfolded) {
            y = ConvGemm.unfolded(xp, w4, hasBias ? in[2] : null, iArgs, oH, oW);
        } else if (groups == 1 || depthwise) {
            INDArray[] args = hasBias ? new INDArray[] {xp, w4, in[2]} : new INDArray[] {xp, w4};
            Native.conv(depthwise ? "depthwise_conv2d" : "conv2d", args, new INDArray[] {y}, iArgs, dilated());
        } else {
            long og = cOut / groups;
            INDArray[] ys = new INDArray[(int) groups];
            for (int g = 0; g < groups; g++) {
                INDArray xg = Native.channels(xp, g * cPerGroup, (g + 1) * cPerGroup);
                INDArray wg = Native.rows(w4, g * og, (g + 1) * og);
                INDArray[] args = hasBias ? new INDArray[] {xg, wg, Native.rows(in[2], g * og, (g + 1) * og)}
                        : new INDArray[] {xg, wg};
                ys[g] = Kernels.empty(type, n, og, oH, oW);
                Native.conv("conv2d", args, new INDArray[] {ys[g]}, iArgs, dilated());
            }
            y = Kernels.concat(1, ys);
        }
        out = clamp == null ? y : clamp.applyInPlace(y);
        return new INDArray[] {spatial == 1 ? out.reshape('c', outShape) : out};
    }

    private static boolean below(long limit, long... values) {
        for (long v : values) {
            if (v >= limit) {
                return false;
            }
        }
        return true;
    }

    /** The shape oneDNN runs as Winograd: 3×3, stride 1. */
    private boolean winograd() {
        return kernel[0] == 3 && kernel[1] == 3 && stride[0] == 1 && stride[1] == 1;
    }

    private boolean dilated() {
        return dilation[0] > 1 || dilation[1] > 1;
    }

    @Override
    protected INDArray[] backward(INDArray[] gradOut) {
        INDArray[] grads = new INDArray[hasBias ? 3 : 2];
        if (empty) {
            grads[0] = needsGrad(0) ? Kernels.full(gradOut[0].dataType(), 0, xShape) : null;
            grads[1] = needsGrad(1) ? Kernels.full(gradOut[0].dataType(), 0, wShape) : null;
            if (hasBias && needsGrad(2)) {
                grads[2] = Kernels.full(gradOut[0].dataType(), 0, wShape[0]);
            }
            return grads;
        }
        INDArray g = gradOut[0];
        INDArray g4 = spatial == 1 ? g.reshape('c', g.size(0), g.size(1), 1, g.size(2)) : g;
        if (clamp != null) {
            g4 = clamp.gradient(out, g4);
        }
        if (loops != null) {
            INDArray[] d = Depthwise.backward(loops, xp, w4, g4, needsGrad(0), needsGrad(1));
            grads[0] = d[0] == null ? null : d[0].reshape('c', xShape);
            grads[1] = d[1] == null ? null : d[1].reshape('c', wShape);
        } else if (!needsGrad(0) && needsGrad(1) && groups == 1 && stride[0] == 1 && stride[1] == 1) {
            grads[1] = weightGradient(g4).reshape('c', wShape);
        } else if (needsGrad(0) || needsGrad(1)) {
            INDArray gxp;
            INDArray gw;
            boolean oneDnn = !dilated() && w4.length() < ONE_DNN_BACKWARD_MAX_WEIGHTS;
            if (groups == 1 && !oneDnn) {
                // libnd4j's own conv2d_bp loops over images; GEMMs over the whole batch (ResNet-18's step: ~1.3x).
                INDArray[] d = ConvGemm.backward(xp, w4, g4, iArgs, needsGrad(0), needsGrad(1));
                gxp = d[0];
                gw = d[1];
            } else if (groups == 1 || depthwise) {
                gxp = Kernels.empty(xp.dataType(), xp.shape());
                gw = Kernels.empty(w4.dataType(), w4.shape());
                INDArray[] args = {xp, w4, g4};
                INDArray[] outs = {gxp, gw};
                if (oneDnn && !depthwise && winograd() && w4.length() >= ONE_DNN_SERIAL_BACKWARD_WEIGHTS
                        && Nd4j.getEnvironment().maxThreads() > 1) {
                    Kernels.execOnOneThread("conv2d_bp", args, outs, iArgs);
                } else {
                    Native.conv(depthwise ? "depthwise_conv2d_bp" : "conv2d_bp", args, outs, iArgs, !oneDnn);
                }
                if (depthwise) {
                    gw = Kernels.permute(gw, 1, 0, 2, 3);
                }
            } else {
                long cPerGroup = wShape[1];
                long og = wShape[0] / groups;
                INDArray[] gxs = new INDArray[(int) groups];
                INDArray[] gws = new INDArray[(int) groups];
                for (int k = 0; k < groups; k++) {
                    INDArray xg = Native.channels(xp, k * cPerGroup, (k + 1) * cPerGroup);
                    INDArray wg = Native.rows(w4, k * og, (k + 1) * og);
                    INDArray gg = Native.channels(g4, k * og, (k + 1) * og);
                    gxs[k] = Kernels.empty(xg.dataType(), xg.shape());
                    gws[k] = Kernels.empty(wg.dataType(), wg.shape());
                    Native.conv("conv2d_bp", new INDArray[] {xg, wg, gg}, new INDArray[] {gxs[k], gws[k]}, iArgs,
                            dilated() || wg.length() >= ONE_DNN_BACKWARD_MAX_WEIGHTS);
                }
                gxp = Kernels.concat(1, gxs);
                gw = Kernels.concat(0, gws);
            }
            if (needsGrad(0)) {
                INDArray gx = explicitPad ? Native.padOrCrop(gxp, Native.negate(pads), 0) : gxp;
                grads[0] = gx.reshape('c', xShape);
            }
            if (needsGrad(1)) {
                grads[1] = gw.reshape('c', wShape);
            }
        }
        if (hasBias && needsGrad(2)) {
            grads[2] = Native.sumPerChannel(g4);
        }
        return grads;
    }

    /**
     * dL/dW alone, for a convolution whose input needs no gradient (a network's first layer): libnd4j's
     * {@code conv2d_bp} always computes the input's gradient too, and for LeNet-5's conv1 (one input channel)
     * oneDNN's backward-data path makes it 4–25 ms at batch 64 against 0.7 ms for this. dW[o, c, i, j] =
     * Σ_n Σ_p g[n, o, p] · x[n, c, p + (i, j)·dilation] is itself a forward convolution: x as [C, N, H, W] (the
     * batch as input channels) by g as [O, N, oH, oW] (each output map a kernel, dilated by the stride — 1 here),
     * with the layer's padding and its dilation as the stride, giving [C, O, kH, kW].
     */
    private INDArray weightGradient(INDArray g4) {
        long n = xp.size(0);
        long c = xp.size(1);
        long oH = g4.size(2);
        long oW = g4.size(3);
        INDArray xT = c == 1 ? xp.reshape('c', 1, n, xp.size(2), xp.size(3)) : Kernels.permute(xp, 1, 0, 2, 3);
        INDArray gT = Kernels.permute(g4, 1, 0, 2, 3);
        INDArray out = Kernels.empty(g4.dataType(), c, wShape[0], kernel[0], kernel[1]);
        long[] args = Window.iArgs(new long[] {oH, oW}, dilation, nativePad, new long[] {1, 1}, NCHW, OIHW);
        Native.conv("conv2d", new INDArray[] {xT, gT}, new INDArray[] {out}, args, false);
        return c == 1 ? out : Kernels.permute(out, 1, 0, 2, 3);
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        boolean one = spatial == 1;
        String[] convOut = clamp == null ? outputs : new String[] {onnx.fresh(outputs[0] + "_conv")};
        onnx.node("Conv", inputs, convOut, Map.of(
                "kernel_shape", one ? new long[] {kernel[1]} : kernel.clone(),
                "strides", one ? new long[] {stride[1]} : stride.clone(),
                "pads", one ? new long[] {pads[1], pads[3]} : pads.clone(),
                "dilations", one ? new long[] {dilation[1]} : dilation.clone(),
                "group", groups));
        if (clamp != null) {
            clamp.toOnnx(onnx, convOut[0], outputs[0], w4 == null ? DataType.FLOAT : w4.dataType());
        }
    }
}

package dev.dendrite.cnn.ops;

import dev.dendrite.onnx.OnnxBuilder;
import dev.dendrite.tensor.Function;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Transposed convolution (the adjoint of {@link Conv} with respect to its input) as PyTorch and ONNX define
 * it: input [N, C, H, W], weight [C, out/groups, kH, kW], optional bias [out]; output size
 * (in − 1)·s − 2p + d·(k − 1) + output_padding + 1.
 *
 * <p>libnd4j's {@code deconv2d} has no output padding, so it runs unpadded (the full output,
 * (in − 1)·s + d·(k − 1) + 1) and the window [p, p + out) is cut from that; where output padding reaches past
 * the full output the extra rows are zeros. The bias is added afterwards, so those rows get it too. Backward
 * pads/crops the gradient back to the full output and calls {@code deconv2d_bp}.
 *
 * <p>A dilated kernel runs as the equivalent undilated kernel of size d·(k − 1) + 1 with zeros between the
 * taps: ND4J M2.1's oneDNN helper rejects float32 dilated convolutions, and {@code deconv2d_bp} calls that
 * helper internally even when helpers are disabled for the call.
 */
final class ConvTranspose extends Function {
    private static final long NCHW = 0;
    /** libnd4j's deconv weight format 1: [in, out, kH, kW], PyTorch's layout. */
    private static final long IOHW = 1;

    private final long[] stride;
    private final long[] padding;
    private final long[] outputPadding;
    private final long[] dilation;
    private final long groups;

    private long[] xShape;
    private long[] wShape;
    private long[] kernel;
    /** Applied to the full native output to get ours: {top, left, bottom, right}, negative = crop. */
    private long[] window;
    private boolean hasBias;
    private boolean empty;
    private INDArray x;
    /** The weight as libnd4j sees it: dilation spelled out as zeros between the taps. */
    private INDArray wn;
    private long[] iArgs;

    ConvTranspose(long[] stride, long[] padding, long[] outputPadding, long[] dilation, long groups) {
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.outputPadding = outputPadding.clone();
        this.dilation = dilation.clone();
        this.groups = groups;
        for (int d = 0; d < 2; d++) {
            if (stride[d] < 1 || dilation[d] < 1 || padding[d] < 0 || outputPadding[d] < 0
                    || outputPadding[d] >= Math.max(stride[d], dilation[d])) {
                throw new ShapeException("conv_transpose2d: stride and dilation must be >= 1, padding >= 0 and "
                        + "output padding < max(stride, dilation), got stride " + Window.pair(stride) + ", padding "
                        + Window.pair(padding) + ", output padding " + Window.pair(outputPadding) + ", dilation "
                        + Window.pair(dilation));
            }
        }
        if (groups < 1) {
            throw new ShapeException("conv_transpose2d: groups must be >= 1, got " + groups);
        }
    }

    @Override
    public String name() {
        return "conv_transpose2d";
    }

    @Override
    protected INDArray[] forward(INDArray[] in) {
        String op = name();
        if (in.length < 2 || in.length > 3) {
            throw new ShapeException(op + ": expected input, weight and optional bias, got " + in.length + " inputs");
        }
        DataType type = Shapes.sameFloating(op, in);
        x = in[0];
        INDArray w = in[1];
        if (w.rank() != 4) {
            throw new ShapeException(op + ": expected a rank-4 weight [in, out/groups, kH, kW], got shape "
                    + Shapes.str(w.shape()));
        }
        long cIn = w.size(0);
        if (cIn % groups != 0 || cIn == 0 || w.size(1) == 0) {
            throw new ShapeException(op + ": weight " + Shapes.str(w.shape()) + " has " + cIn
                    + " input channels, which must be a positive multiple of groups = " + groups);
        }
        Window.requireInput(op, x, 2, String.valueOf(cIn));
        if (x.size(1) != cIn) {
            throw new ShapeException(op + ": expected input " + Window.layout(2, String.valueOf(cIn)) + " (weight "
                    + Shapes.str(w.shape()) + "), got shape " + Shapes.str(x.shape()));
        }
        long cOut = w.size(1) * groups;
        hasBias = in.length == 3;
        if (hasBias && (in[2].rank() != 1 || in[2].size(0) != cOut)) {
            throw new ShapeException(op + ": expected bias [" + cOut + "], got shape " + Shapes.str(in[2].shape()));
        }
        xShape = x.shape();
        wShape = w.shape();
        kernel = new long[] {w.size(2), w.size(3)};
        long[] full = new long[2];
        long[] out = new long[2];
        for (int d = 0; d < 2; d++) {
            long i = x.size(2 + d);
            full[d] = (i - 1) * stride[d] + dilation[d] * (kernel[d] - 1) + 1;
            out[d] = full[d] - 2 * padding[d] + outputPadding[d];
            if (out[d] <= 0) {
                throw new ShapeException(op + ": the output size along spatial dim " + d + " would be " + out[d]
                        + " <= 0 for input " + Shapes.str(xShape) + " (kernel " + Window.pair(kernel) + ", stride "
                        + Window.pair(stride) + ", padding " + Window.pair(padding) + ")");
            }
        }
        window = new long[] {-padding[0], -padding[1], out[0] - full[0] + padding[0], out[1] - full[1] + padding[1]};
        long n = x.size(0);
        empty = n == 0;
        if (empty) {
            return new INDArray[] {Nd4j.zeros(type, n, cOut, out[0], out[1])};
        }
        wn = dilated() ? dilate(w) : w;
        iArgs = Window.iArgs(new long[] {wn.size(2), wn.size(3)}, stride, new long[] {0, 0}, new long[] {1, 1}, NCHW,
                IOHW);
        INDArray yFull;
        if (groups == 1 && cOut == 1) {
            yFull = oneOutputChannel(x, full);
        } else if (groups == 1) {
            yFull = Kernels.empty(type, n, cOut, full[0], full[1]);
            Kernels.exec("deconv2d", new INDArray[] {x, wn}, new INDArray[] {yFull}, iArgs, null, null);
        } else {
            long ig = cIn / groups;
            INDArray[] ys = new INDArray[(int) groups];
            for (int g = 0; g < groups; g++) {
                ys[g] = Kernels.empty(type, n, w.size(1), full[0], full[1]);
                Kernels.exec("deconv2d", new INDArray[] {Native.channels(x, g * ig, (g + 1) * ig),
                    Native.rows(wn, g * ig, (g + 1) * ig)}, new INDArray[] {ys[g]}, iArgs, null, null);
            }
            yFull = Nd4j.concat(1, ys);
        }
        INDArray y = Native.padOrCrop(yFull, window, 0);
        if (hasBias) {
            y = Native.binary("add", y, Native.perChannel(in[2], 4));
        }
        return new INDArray[] {y};
    }

    /**
     * The unpadded output [N, 1, full...] of a transposed convolution with one output channel, as one GEMM (the
     * kernel's taps times every input pixel's channels) and libnd4j's {@code col2im}, which sums the taps into
     * place. oneDNN's deconvolution for one output channel took 1.3–19 ms for DCGAN's last layer at batch 64
     * (x [64,32,14,14], 4×4, stride 2; slow in every JVM, very slow in some), this 0.5–0.8 ms; from three output
     * channels on oneDNN ties or wins (benchmarks/README, "Kernel choices").
     */
    private INDArray oneOutputChannel(INDArray x, long[] full) {
        long n = x.size(0);
        long c = x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        long kh = wn.size(2);
        long kw = wn.size(3);
        INDArray channelsFirst = Kernels.permute(x, 1, 0, 2, 3).reshape('c', c, n * h * w);
        INDArray cols = Kernels.matmul(wn.reshape('c', c, kh * kw), channelsFirst, true, false);
        INDArray perImage = Kernels.permute(cols.reshape('c', kh * kw, n, h * w), 1, 0, 2);
        INDArray y = Kernels.empty(x.dataType(), n, 1, full[0], full[1]);
        // iArgs: stride, padding (none: cropped after), image size, dilation (already in wn), not "same".
        Kernels.exec("col2im", new INDArray[] {perImage.reshape('c', n, 1, kh, kw, h, w)}, new INDArray[] {y},
                new long[] {stride[0], stride[1], 0, 0, full[0], full[1], 1, 1, 0}, null, null);
        return y;
    }

    private boolean dilated() {
        return dilation[0] > 1 || dilation[1] > 1;
    }

    /** The taps of {@code w} at every dilation-th cell of a zero kernel of the dilated size. */
    private INDArray dilate(INDArray w) {
        INDArray d = Nd4j.zeros(w.dataType(), w.size(0), w.size(1), dilation[0] * (kernel[0] - 1) + 1,
                dilation[1] * (kernel[1] - 1) + 1);
        taps(d).assign(w);
        return d;
    }

    /** The view of a dilated kernel's taps. */
    private INDArray taps(INDArray dilated) {
        return dilated.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, dilation[0], dilated.size(2)),
                NDArrayIndex.interval(0, dilation[1], dilated.size(3)));
    }

    @Override
    protected INDArray[] backward(INDArray[] gradOut) {
        INDArray[] grads = new INDArray[hasBias ? 3 : 2];
        INDArray g = gradOut[0];
        if (empty) {
            grads[0] = needsGrad(0) ? Nd4j.zeros(g.dataType(), xShape) : null;
            grads[1] = needsGrad(1) ? Nd4j.zeros(g.dataType(), wShape) : null;
            if (hasBias && needsGrad(2)) {
                grads[2] = Nd4j.zeros(g.dataType(), g.size(1));
            }
            return grads;
        }
        if (needsGrad(0) || needsGrad(1)) {
            INDArray gFull = Native.padOrCrop(g, Native.negate(window), 0);
            if (groups == 1) {
                grads[0] = Kernels.empty(x.dataType(), xShape);
                grads[1] = Kernels.empty(wn.dataType(), wn.shape());
                Kernels.exec("deconv2d_bp", new INDArray[] {x, wn, gFull}, new INDArray[] {grads[0], grads[1]}, iArgs,
                        null, null);
            } else {
                long ig = xShape[1] / groups;
                long og = wShape[1];
                INDArray[] gxs = new INDArray[(int) groups];
                INDArray[] gws = new INDArray[(int) groups];
                for (int k = 0; k < groups; k++) {
                    INDArray xg = Native.channels(x, k * ig, (k + 1) * ig);
                    INDArray wg = Native.rows(wn, k * ig, (k + 1) * ig);
                    gxs[k] = Kernels.empty(xg.dataType(), xg.shape());
                    gws[k] = Kernels.empty(wg.dataType(), wg.shape());
                    Kernels.exec("deconv2d_bp", new INDArray[] {xg, wg, Native.channels(gFull, k * og, (k + 1) * og)},
                            new INDArray[] {gxs[k], gws[k]}, iArgs, null, null);
                }
                grads[0] = Nd4j.concat(1, gxs);
                grads[1] = Nd4j.concat(0, gws);
            }
            grads[0] = needsGrad(0) ? grads[0] : null;
            grads[1] = needsGrad(1) ? (dilated() ? taps(grads[1]).dup('c') : grads[1]) : null;
        }
        if (hasBias && needsGrad(2)) {
            grads[2] = Native.sumPerChannel(g);
        }
        return grads;
    }

    @Override
    public void toOnnx(OnnxBuilder onnx, String[] inputs, String[] outputs) {
        onnx.node("ConvTranspose", inputs, outputs, Map.of(
                "kernel_shape", kernel.clone(),
                "strides", stride.clone(),
                "pads", new long[] {padding[0], padding[1], padding[0], padding[1]},
                "output_padding", outputPadding.clone(),
                "dilations", dilation.clone(),
                "group", groups));
    }
}

package dev.dendrite.cnn.ops;

import dev.dendrite.ops.Clamp;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The CNN primitives as functions, after {@code torch.nn.functional}: layout NCHW, weights in PyTorch's
 * layout. Each records itself for backward and writes itself as ONNX. Pairs are {height, width}; padding
 * arrays of four are {top, left, bottom, right}, ONNX's order.
 */
public final class CnnF {
    private CnnF() {}

    /** 2-D convolution; {@code bias} may be null. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, long[] stride, long[] pads, long[] dilation,
            long groups) {
        return conv2d(x, weight, bias, stride, pads, dilation, groups, null);
    }

    /** {@link #conv2d} with {@code clamp} (ReLU, ReLU6; null for none) applied to the output as it is made. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, long[] stride, long[] pads, long[] dilation,
            long groups, Clamp clamp) {
        Conv c = new Conv(2, pair("stride", stride), four(pads), pair("dilation", dilation), groups, clamp);
        return bias == null ? c.apply1(x, weight) : c.apply1(x, weight, bias);
    }

    /** 1-D convolution of [N, C, L] with weight [out, C/groups, k]; {@code bias} may be null. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, long stride, long padLeft, long padRight,
            long dilation, long groups) {
        Conv c = new Conv(1, new long[] {1, stride}, new long[] {0, padLeft, 0, padRight}, new long[] {1, dilation},
                groups, null);
        return bias == null ? c.apply1(x, weight) : c.apply1(x, weight, bias);
    }

    /** 2-D transposed convolution, weight [in, out/groups, kH, kW]; {@code bias} may be null. */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, long[] stride, long[] padding,
            long[] outputPadding, long[] dilation, long groups) {
        ConvTranspose c = new ConvTranspose(pair("stride", stride), pair("padding", padding),
                pair("output padding", outputPadding), pair("dilation", dilation), groups);
        return bias == null ? c.apply1(x, weight) : c.apply1(x, weight, bias);
    }

    public static Tensor maxPool2d(Tensor x, long[] kernel, long[] stride, long[] padding, boolean ceilMode) {
        return new Pool(true, pair("kernel", kernel), pair("stride", stride), pair("padding", padding), ceilMode, false)
                .apply1(x);
    }

    public static Tensor avgPool2d(Tensor x, long[] kernel, long[] stride, long[] padding, boolean ceilMode,
            boolean countIncludePad) {
        return new Pool(false, pair("kernel", kernel), pair("stride", stride), pair("padding", padding), ceilMode,
                countIncludePad).apply1(x);
    }

    /** [N, C, H, W] → [N, C, 1, 1]. */
    public static Tensor globalAvgPool2d(Tensor x) {
        return new GlobalPool(false).apply1(x);
    }

    /** [N, C, H, W] → [N, C, 1, 1]. */
    public static Tensor globalMaxPool2d(Tensor x) {
        return new GlobalPool(true).apply1(x);
    }

    /**
     * Batch normalisation over axis 1, as PyTorch's {@code F.batch_norm}: in training mode with the batch's
     * statistics, and the running ones updated in place (running = (1 − m)·running + m·batch, the variance
     * unbiased); otherwise with the running statistics. {@code weight} and {@code bias} are both null or
     * both given.
     */
    public static Tensor batchNorm(Tensor x, INDArray runningMean, INDArray runningVar, Tensor weight, Tensor bias,
            boolean training, double momentum, double eps) {
        if ((weight == null) != (bias == null)) {
            throw new ShapeException("batch_norm: give both weight and bias, or neither");
        }
        BatchNorm bn = new BatchNorm(training, eps, momentum);
        Tensor mean = Tensor.of(runningMean);
        Tensor var = Tensor.of(runningVar);
        // In training mode the primitive also moves the running statistics (its inputs 1 and 2) in place.
        return weight == null ? bn.apply1(x, mean, var) : bn.apply1(x, mean, var, weight, bias);
    }

    /** Resizes H and W by {@code scale}; mode "nearest" or "bilinear" (align_corners false). */
    public static Tensor upsample2d(Tensor x, double scale, String mode) {
        return new Upsample(scale, bilinear(mode)).apply1(x);
    }

    static boolean bilinear(String mode) {
        return switch (mode) {
            case "nearest" -> false;
            case "bilinear" -> true;
            default -> throw new ShapeException("upsample2d: mode must be \"nearest\" or \"bilinear\", got \"" + mode
                    + "\"");
        };
    }

    /**
     * PyTorch's {@code padding="same"} for stride 1: total d·(k − 1) per dim, the odd cell at the end.
     * Returns {top, left, bottom, right}.
     */
    public static long[] samePadding(long[] kernel, long[] dilation) {
        long th = dilation[0] * (kernel[0] - 1);
        long tw = dilation[1] * (kernel[1] - 1);
        return new long[] {th / 2, tw / 2, th - th / 2, tw - tw / 2};
    }

    private static long[] pair(String what, long[] v) {
        if (v == null || v.length != 2) {
            throw new ShapeException("expected a {height, width} pair for " + what + ", got "
                    + (v == null ? "null" : java.util.Arrays.toString(v)));
        }
        return v;
    }

    private static long[] four(long[] v) {
        if (v == null || v.length != 4) {
            throw new ShapeException("expected padding {top, left, bottom, right}, got "
                    + (v == null ? "null" : java.util.Arrays.toString(v)));
        }
        return v;
    }
}

package dev.dendrite.cnn.onnx;

import dev.dendrite.cnn.ops.CnnF;
import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ONNX MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool, over any number of spatial dims.
 *
 * <p>Undilated 1-D and 2-D pools run on libnd4j's kernels ({@link CnnF#maxPool2d}/{@link CnnF#avgPool2d}, 1-D
 * as height 1): directly where its padding rules are ONNX's (symmetric, at most half the kernel), otherwise
 * on the input explicitly padded ({@link ConstantPad}: −∞ or 0) to the cells the windows cover, an average
 * then rescaled to ONNX's divisor. That keeps auto_pad SAME with an odd total, asymmetric or large pads and
 * ceil mode native (20× faster than the generic path for [8, 64, 112, 112]). 3-D pools, dilations and
 * MaxPool's Indices output go to {@link PoolNd}. Integer MaxPool (opset 12) runs in float64 and is cast
 * back: exact, and not differentiable anyway.
 */
public final class PoolConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "X");
        if (x.rank() < 3) {
            throw op.error("expected input X [N, C, D1, ...] with at least 1 spatial dim, got shape "
                    + Arrays.toString(x.shape()));
        }
        for (int d = 1; d < x.rank(); d++) {
            if (x.size(d) == 0) {
                throw op.error("input X " + Arrays.toString(x.shape()) + " has an empty channel or spatial dim");
            }
        }
        return switch (op.opType()) {
            case "GlobalAveragePool", "GlobalMaxPool" -> new Tensor[] {global(op, x)};
            default -> pool(op, x);
        };
    }

    private static Tensor global(OnnxOp op, Tensor x) {
        boolean max = op.opType().equals("GlobalMaxPool");
        requireFloating(op, x);
        if (x.rank() == 4) {
            return max ? CnnF.globalMaxPool2d(x) : CnnF.globalAvgPool2d(x);
        }
        int[] axes = new int[x.rank() - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 2;
        }
        return max ? F.max(x, true, axes) : F.mean(x, true, axes);
    }

    private static Tensor[] pool(OnnxOp op, Tensor x) {
        boolean max = op.opType().equals("MaxPool");
        int n = x.rank() - 2;
        long[] kernel = op.require("kernel_shape", long[].class).clone();
        if (kernel.length != n) {
            throw op.error("attribute kernel_shape " + Arrays.toString(kernel) + " must have " + n
                    + " values for input " + Arrays.toString(x.shape()));
        }
        for (long k : kernel) {
            if (k < 1) {
                throw op.error("attribute kernel_shape must hold values >= 1, got " + Arrays.toString(kernel));
            }
        }
        long[] stride = Spatial.ints(op, "strides", n, 1, 1);
        long[] dilation = Spatial.ints(op, "dilations", n, 1, 1);
        long[] in = Spatial.spatialShape(x);
        long[][] pads = Spatial.pads(op, in, kernel, stride, dilation);
        long ceilMode = op.attr("ceil_mode", 0L);
        long countIncludePad = op.attr("count_include_pad", 0L);
        long storageOrder = op.attr("storage_order", 0L);
        if ((ceilMode != 0 && ceilMode != 1) || (countIncludePad != 0 && countIncludePad != 1)
                || (storageOrder != 0 && storageOrder != 1)) {
            throw op.error("ceil_mode, count_include_pad and storage_order must be 0 or 1, got " + ceilMode + ", "
                    + countIncludePad + ", " + storageOrder);
        }
        boolean ceil = ceilMode == 1;
        long[] outShape = new long[n + 2];
        outShape[0] = x.size(0);
        outShape[1] = x.size(1);
        for (int i = 0; i < n; i++) {
            outShape[i + 2] = Spatial.outSize(op, i, in[i], pads[0][i], pads[1][i], kernel[i], stride[i], dilation[i],
                    ceil);
        }
        op.checkShape(outShape, op.opType() + " output");
        boolean indices = max && op.outputCount() > 1;
        DataType type = x.dtype();
        if (!type.isFPType()) {
            if (!max || type == DataType.BOOL) {
                throw op.error(op.opType() + " of a " + type + " input is not supported");
            }
            Tensor[] r = generic(op, Tensor.of(x.data().castTo(DataType.DOUBLE)), true, kernel, stride, dilation, pads,
                    ceil, false, indices, storageOrder == 1);
            r[0] = Tensor.of(r[0].data().castTo(type));
            return r;
        }
        boolean undilated = Arrays.stream(dilation).allMatch(d -> d == 1);
        if (!indices && n <= 2 && undilated) {
            if (nativeFits(kernel, pads)) {
                return new Tensor[] {lift(x, n, max, kernel, stride, pads[0], ceil, countIncludePad == 1)};
            }
            return new Tensor[] {paddedNative(x, max, kernel, stride, pads, outShape, countIncludePad == 1)};
        }
        return generic(op, x, max, kernel, stride, dilation, pads, ceil, countIncludePad == 1, indices,
                storageOrder == 1);
    }

    /** Whether libnd4j's 2-D pooling computes this itself: symmetric pads of at most k/2. */
    private static boolean nativeFits(long[] kernel, long[][] pads) {
        for (int i = 0; i < kernel.length; i++) {
            if (pads[0][i] != pads[1][i] || pads[0][i] > kernel[i] / 2) {
                return false;
            }
        }
        return true;
    }

    /** The native 2-D pool, a 1-D one running as height 1. */
    private static Tensor lift(Tensor x, int n, boolean max, long[] kernel, long[] stride, long[] pad, boolean ceil,
            boolean countIncludePad) {
        if (n == 2) {
            return native2d(x, max, kernel, stride, pad, ceil, countIncludePad);
        }
        return F.squeeze(native2d(F.unsqueeze(x, 2), max, new long[] {1, kernel[0]}, new long[] {1, stride[0]},
                new long[] {0, pad[0]}, ceil, countIncludePad), 2);
    }

    /**
     * Any padding and ceil mode on the native kernel: the input padded (−∞ for max, 0 for average) or cropped
     * to exactly the cells the windows cover, pooled without padding, and an average rescaled from k₁·k₂ cells
     * to the ones ONNX counts.
     */
    private static Tensor paddedNative(Tensor x, boolean max, long[] kernel, long[] stride, long[][] pads,
            long[] outShape, boolean countIncludePad) {
        int n = kernel.length;
        long[] in = Spatial.spatialShape(x);
        long[] out = Arrays.copyOfRange(outShape, 2, n + 2);
        long[] after = new long[n];
        for (int i = 0; i < n; i++) {
            after[i] = (out[i] - 1) * stride[i] + kernel[i] - pads[0][i] - in[i];
        }
        Tensor padded = Spatial.padSpatial(x, pads[0], after, max ? Double.NEGATIVE_INFINITY : 0);
        Tensor y = lift(padded, n, max, kernel, stride, new long[n], false, true);
        if (max) {
            return y;
        }
        long[] ones = new long[n];
        Arrays.fill(ones, 1);
        INDArray counts = PoolNd.counts(DataType.DOUBLE, in, out, kernel, stride, ones, pads[0], pads[1],
                countIncludePad);
        double cells = Arrays.stream(kernel).reduce(1, (a, b) -> a * b);
        if (counts.minNumber().doubleValue() == cells) {
            return y;
        }
        INDArray scale = Transforms.pow(counts, -1, false).muli(cells).castTo(x.dtype());
        return F.mul(y, Tensor.of(scale));
    }

    private static Tensor native2d(Tensor x, boolean max, long[] kernel, long[] stride, long[] pad, boolean ceil,
            boolean countIncludePad) {
        return max ? CnnF.maxPool2d(x, kernel, stride, pad, ceil)
                : CnnF.avgPool2d(x, kernel, stride, pad, ceil, countIncludePad);
    }

    private static Tensor[] generic(OnnxOp op, Tensor x, boolean max, long[] kernel, long[] stride, long[] dilation,
            long[][] pads, boolean ceil, boolean countIncludePad, boolean indices, boolean columnMajor) {
        PoolNd p = new PoolNd(max, kernel, stride, dilation, pads[0], pads[1], ceil, countIncludePad);
        if (indices) {
            p.withIndices();
        }
        Tensor y = p.apply1(x);
        if (!indices) {
            return new Tensor[] {y};
        }
        if (columnMajor && x.rank() != 4) {
            throw op.error("storage_order 1 (column-major Indices) is only defined for 2-D pooling");
        }
        return new Tensor[] {y, Tensor.of(p.indices(columnMajor))};
    }

    private static void requireFloating(OnnxOp op, Tensor x) {
        if (!x.dtype().isFPType()) {
            throw op.error(op.opType() + " of a " + x.dtype() + " input is not supported");
        }
    }
}

package dev.dendrite.cnn.onnx;

import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The attributes sliding-window ops share (kernel_shape, strides, dilations, pads, auto_pad), read and
 * checked for a node, and the small tensor helpers the converters of this package compose.
 */
final class Spatial {
    private Spatial() {}

    /**
     * An integer-list attribute of {@code n} entries, each at least {@code min}; {@code fill} when absent (or
     * written as an empty list, as some exporters do).
     */
    static long[] ints(OnnxOp op, String name, int n, long fill, long min) {
        long[] v = op.attr(name, (long[]) null);
        if (v == null || v.length == 0) {
            long[] d = new long[n];
            Arrays.fill(d, fill);
            return d;
        }
        if (v.length != n) {
            throw op.error("attribute '" + name + "' must have " + n + " values (one per spatial dim), got "
                    + Arrays.toString(v));
        }
        for (long x : v) {
            if (x < min) {
                throw op.error("attribute '" + name + "' must hold values >= " + min + ", got " + Arrays.toString(v));
            }
        }
        return v;
    }

    /** The input's spatial dims: every dim after N and C. */
    static long[] spatialShape(Tensor x) {
        return Arrays.copyOfRange(x.shape(), 2, x.rank());
    }

    /** The kernel_shape attribute, if given, must equal the weight's spatial dims. */
    static void checkKernelShape(OnnxOp op, long[] kernel) {
        long[] k = op.attr("kernel_shape", (long[]) null);
        if (k != null && k.length > 0 && !Arrays.equals(k, kernel)) {
            throw op.error("attribute kernel_shape " + Arrays.toString(k) + " does not match the weight's spatial dims "
                    + Arrays.toString(kernel));
        }
    }

    /**
     * Padding of a convolution or pooling as {begin[], end[]}: from {@code pads} (ONNX order: all begins, then
     * all ends), or computed by {@code auto_pad} SAME_UPPER/SAME_LOWER (output ⌈in/stride⌉, the odd cell at the
     * end or the beginning) or VALID (none).
     */
    static long[][] pads(OnnxOp op, long[] in, long[] kernel, long[] stride, long[] dilation) {
        int n = in.length;
        String auto = op.attr("auto_pad", "NOTSET");
        long[] begin = new long[n];
        long[] end = new long[n];
        switch (auto) {
            case "NOTSET" -> {
                long[] p = ints(op, "pads", 2 * n, 0, 0);
                System.arraycopy(p, 0, begin, 0, n);
                System.arraycopy(p, n, end, 0, n);
            }
            case "VALID" -> {
                // no padding
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int i = 0; i < n; i++) {
                    long out = ceilDiv(in[i], stride[i]);
                    long total = Math.max(0, (out - 1) * stride[i] + (kernel[i] - 1) * dilation[i] + 1 - in[i]);
                    long small = total / 2;
                    begin[i] = auto.equals("SAME_UPPER") ? small : total - small;
                    end[i] = total - begin[i];
                }
            }
            default -> throw op.error("auto_pad '" + auto
                    + "' is not supported (NOTSET, SAME_UPPER, SAME_LOWER, VALID)");
        }
        return new long[][] {begin, end};
    }

    static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /**
     * Output length of a sliding window: ⌊(in + pads − dilated kernel)/stride⌋ + 1, or in ceil mode rounded up
     * with a last window that would start in the end padding dropped (PyTorch's and ONNX's rule); an error
     * when the window does not fit.
     */
    static long outSize(OnnxOp op, int dim, long in, long begin, long end, long kernel, long stride, long dilation,
            boolean ceil) {
        long effective = dilation * (kernel - 1) + 1;
        long span = in + begin + end - effective;
        if (span < 0) {
            throw op.error("the kernel (" + kernel + (dilation > 1 ? ", dilated to " + effective : "")
                    + ") is larger than the padded input (" + in + " + " + begin + " + " + end + ") along spatial dim "
                    + dim);
        }
        long out = (ceil ? ceilDiv(span, stride) : span / stride) + 1;
        if (ceil && (out - 1) * stride >= in + begin) {
            out--;
        }
        return out;
    }

    /** A [1, C, 1, ...] view of a [C] vector for broadcasting along axis 1 of a rank-{@code rank} tensor. */
    static Tensor perChannel(Tensor v, int rank) {
        long[] shape = new long[rank];
        Arrays.fill(shape, 1);
        shape[1] = v.size(0);
        return F.reshape(v, shape);
    }

    /** A constant of zeros. */
    static Tensor zeros(DataType type, long... shape) {
        return Tensor.of(Nd4j.zeros(type, shape));
    }

    /**
     * Positions [begin, begin + size) of {@code axis}: cut out where inside x, zeros where outside (begin may
     * be negative, the end may reach past the input); one {@link ConstantPad}, so the gradient flows.
     */
    static Tensor window(Tensor x, int axis, long begin, long size) {
        long length = x.size(axis);
        if (begin == 0 && size == length) {
            return x;
        }
        long[] before = new long[x.rank()];
        long[] after = new long[x.rank()];
        before[axis] = -begin;
        after[axis] = begin + size - length;
        return new ConstantPad(before, after, 0).apply1(x);
    }

    /** x with {@code before}/{@code after} cells of {@code value} around each spatial dim (negative crops). */
    static Tensor padSpatial(Tensor x, long[] before, long[] after, double value) {
        long[] b = new long[x.rank()];
        long[] a = new long[x.rank()];
        System.arraycopy(before, 0, b, 2, before.length);
        System.arraycopy(after, 0, a, 2, after.length);
        return new ConstantPad(b, a, value).apply1(x);
    }

    /**
     * x ×_axis m: the [in, out] matrix {@code m} applied along {@code axis} of x (a matmul with that axis moved
     * last), so the gradient flows to x.
     */
    static Tensor alongAxis(Tensor x, int axis, Tensor m) {
        int r = x.rank();
        long in = x.size(axis);
        long out = m.size(1);
        int[] perm = new int[r];
        int[] inverse = new int[r];
        for (int d = 0, j = 0; d < r; d++) {
            if (d != axis) {
                perm[j++] = d;
            }
        }
        perm[r - 1] = axis;
        for (int d = 0; d < r; d++) {
            inverse[perm[d]] = d;
        }
        boolean moved = axis != r - 1;
        Tensor xt = moved ? F.permute(x, perm) : x;
        long[] tShape = xt.shape().clone();
        // -1 rather than the batch size, so the exported graph takes any batch.
        Tensor y = F.matmul(r == 2 ? xt : F.reshape(xt, -1, in), m);
        tShape[r - 1] = out;
        if (r > 1) {
            tShape[0] = -1;
        }
        y = r == 2 ? y : F.reshape(y, tShape);
        return moved ? F.permute(y, inverse) : y;
    }
}

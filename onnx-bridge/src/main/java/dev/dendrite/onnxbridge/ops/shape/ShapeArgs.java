package dev.dendrite.onnxbridge.ops.shape;

import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Argument checks and small compositions the shape converters share; every failure names the node. */
final class ShapeArgs {
    private ShapeArgs() {}



    /** a * b, or an error when it overflows. */
    static long times(OnnxOp op, long a, long b, String what) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw op.error(what + " overflows: " + a + " * " + b);
        }
    }

    /** a + b, or an error when it overflows. */
    static long plus(OnnxOp op, long a, long b, String what) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw op.error(what + " overflows: " + a + " + " + b);
        }
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** A zero-element (or scalar-free) constant of the given shape. */
    static Tensor empty(DataType type, long[] shape) {
        return Tensor.of(Nd4j.create(type, shape));
    }

    /**
     * {@code x} reshaped to a fully known shape. F.reshape reads 0 as "copy the input's dim", so a
     * shape with a real 0 (an empty tensor) is made directly: it has no elements to carry gradients.
     */
    static Tensor reshapeTo(Tensor x, long[] shape) {
        if (Arrays.equals(x.shape(), shape)) {
            return x;
        }
        for (long d : shape) {
            if (d == 0) {
                return empty(x.dtype(), shape);
            }
        }
        return F.reshape(x, shape);
    }

    /**
     * Concatenation checked here (same rank and dtype, equal dims off the axis). Floating inputs go
     * through the differentiable primitive; integer and bool ones (shape arithmetic) are joined directly.
     */
    static Tensor concat(OnnxOp op, int axis, Tensor... xs) {
        if (xs.length == 0) {
            throw op.error("needs at least one input");
        }
        long[] first = xs[0].shape();
        DataType type = xs[0].dtype();
        for (int i = 0; i < xs.length; i++) {
            long[] s = xs[i].shape();
            boolean ok = s.length == first.length;
            for (int d = 0; ok && d < s.length; d++) {
                ok = d == axis || s[d] == first[d];
            }
            if (!ok) {
                throw op.error("input " + i + " has shape " + Arrays.toString(s) + ", which does not match "
                        + Arrays.toString(first) + " off axis " + axis);
            }
            if (xs[i].dtype() != type) {
                throw op.error("input " + i + " is " + xs[i].dtype() + ", input 0 is " + type);
            }
        }
        if (xs.length == 1) {
            return xs[0];
        }
        if (type.isFPType()) {
            return F.concat(axis, xs);
        }
        return Tensor.of(Nd4j.concat(axis, Arrays.stream(xs).map(Tensor::data).toArray(
                org.nd4j.linalg.api.ndarray.INDArray[]::new)));
    }

    /** Moves {@code axis} to the end ({@code inverse} false) or back from the end to {@code axis}. */
    static int[] moveToEnd(int axis, int rank, boolean inverse) {
        int[] perm = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            if (i != axis) {
                perm[j++] = i;
            }
        }
        perm[rank - 1] = axis;
        if (!inverse) {
            return perm;
        }
        int[] inv = new int[rank];
        for (int i = 0; i < rank; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }

    static boolean identity(int[] perm) {
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] != i) {
                return false;
            }
        }
        return true;
    }

    static Tensor permute(Tensor x, int[] perm) {
        return identity(perm) ? x : F.permute(x, perm);
    }
}

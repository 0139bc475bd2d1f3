package dev.dendrite.tensor;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shape arithmetic and the checks that every primitive runs before it calls a native kernel. */
public final class Shapes {
    private Shapes() {}

    public static String str(long[] shape) {
        return Arrays.toString(shape);
    }

    /** NumPy broadcasting of two shapes, or a ShapeException naming the op. */
    public static long[] broadcast(String op, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            long db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": shapes " + str(a) + " and " + str(b) + " do not broadcast (dim "
                        + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * The adjoint of broadcasting: sums {@code grad} down to {@code shape}, over the leading dims that
     * broadcasting added and the dims where {@code shape} had size 1.
     */
    public static INDArray unbroadcast(INDArray grad, long[] shape) {
        long[] g = grad.shape();
        if (Arrays.equals(g, shape)) {
            return grad;
        }
        int lead = g.length - shape.length;
        int[] axes = new int[g.length];
        int n = 0;
        for (int i = 0; i < g.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && g[i] != 1)) {
                axes[n++] = i;
            }
        }
        if (n == 0) {
            return grad.reshape('c', shape);
        }
        long[] ax = new long[n];
        long[] kept = new long[g.length - n];
        for (int i = 0, k = 0, j = 0; i < g.length; i++) {
            if (k < n && axes[k] == i) {
                ax[k++] = i;
            } else {
                kept[j++] = g[i];
            }
        }
        // One native reduction (into the reduced shape), viewed in the target's shape.
        INDArray summed = Kernels.empty(grad.dataType(), kept);
        Kernels.reduceSum(summed, grad, false, ax);
        return summed.reshape('c', shape);
    }

    /** Maps a possibly negative axis into [0, rank), or fails naming the op. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException(op + ": axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    /** {@link #axis(String, int, int)} with the input's shape in the message. */
    public static int axis(String op, int axis, long[] shape) {
        int rank = shape.length;
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException(op + ": axis " + axis + " is out of range for input " + str(shape) + " (rank "
                    + rank + ")");
        }
        return a;
    }

    public static int[] axes(String op, int[] axes, int rank) {
        return axes(op, axes, new long[rank], false);
    }

    /** Distinct axes mapped into [0, rank) and sorted; the message names the input's shape. */
    public static int[] axes(String op, int[] axes, long[] shape) {
        return axes(op, axes, shape, true);
    }

    private static int[] axes(String op, int[] axes, long[] shape, boolean named) {
        int rank = shape.length;
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < axes.length; i++) {
            out[i] = named ? axis(op, axes[i], shape) : axis(op, axes[i], rank);
            if (seen[out[i]]) {
                throw new ShapeException(op + ": axis " + axes[i] + " is repeated in " + Arrays.toString(axes));
            }
            seen[out[i]] = true;
        }
        Arrays.sort(out);
        return out;
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public static void requireRank(String op, INDArray x, int rank) {
        if (x.rank() != rank) {
            throw new ShapeException(op + ": expected a rank-" + rank + " input, got shape " + str(x.shape()));
        }
    }

    public static void requireMinRank(String op, INDArray x, int rank) {
        if (x.rank() < rank) {
            throw new ShapeException(op + ": expected an input of rank >= " + rank + ", got shape " + str(x.shape()));
        }
    }

    public static void requireFloating(String op, INDArray x) {
        if (!x.dataType().isFPType()) {
            throw new ShapeException(op + ": expected a floating-point input, got " + x.dataType() + " "
                    + str(x.shape()));
        }
    }

    /** Floating inputs of one op must share a dtype: mixing float32 and float64 is a bug, not a cast. */
    public static DataType sameFloating(String op, INDArray... xs) {
        DataType t = null;
        for (INDArray x : xs) {
            requireFloating(op, x);
            if (t == null) {
                t = x.dataType();
            } else if (t != x.dataType()) {
                throw new ShapeException(op + ": inputs have different dtypes " + t + " " + str(xs[0].shape()) + " and "
                        + x.dataType() + " " + str(x.shape()));
            }
        }
        return t;
    }

    public static void requireIntegral(String op, INDArray x) {
        if (!x.dataType().isIntType()) {
            throw new ShapeException(op + ": expected an integer index tensor, got " + x.dataType() + " "
                    + str(x.shape()));
        }
    }

    /**
     * Whether the array is laid out row-major from the start of its buffer's address, sizes of 1 aside (ND4J's
     * {@code Shape.hasDefaultStridesForShape} refuses a [96, 16, 1, 1] weight): then any reshape of it is a view,
     * and one bulk copy reads it. A view's buffer starts at the view (ND4J M2.1 keeps a view's offset in its
     * buffer, whose address includes it).
     */
    public static boolean rowMajor(INDArray a) {
        long expected = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) != 1 && a.stride(d) != expected) {
                return false;
            }
            expected *= a.size(d);
        }
        return true;
    }
}

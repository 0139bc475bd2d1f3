package dev.dendrite.ops;

import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Shapes;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Broadcasting array arithmetic for forward and backward code, through native kernels into fresh
 * outputs (never in place: inputs may be saved by other graph nodes).
 */
final class Arr {
    private Arr() {}

    static INDArray add(INDArray a, INDArray b) {
        return binary("add", a, b);
    }

    static INDArray sub(INDArray a, INDArray b) {
        return binary("subtract", a, b);
    }

    static INDArray mul(INDArray a, INDArray b) {
        return binary("multiply", a, b);
    }

    static INDArray div(INDArray a, INDArray b) {
        return binary("divide", a, b);
    }

    static INDArray binary(String kernel, INDArray a, INDArray b) {
        INDArray out = Kernels.empty(a.dataType(), Shapes.broadcast(kernel, a.shape(), b.shape()));
        return Kernels.exec(kernel, out, a, b);
    }

    /** x·c for a number c. */
    static INDArray scale(INDArray x, double c) {
        return Kernels.scalar("mul", Kernels.empty(x.dataType(), x.shape()), x, c);
    }

    /** x + c for a number c. */
    static INDArray plus(INDArray x, double c) {
        return Kernels.scalar("add", Kernels.empty(x.dataType(), x.shape()), x, c);
    }

    /** c − x for a number c. */
    static INDArray rsub(INDArray x, double c) {
        return Kernels.scalar("rsub", Kernels.empty(x.dataType(), x.shape()), x, c);
    }

    /** Σ over {@code axes} with the reduced dims kept as 1 (so it broadcasts against x), one native call. */
    static INDArray sumKept(INDArray x, int... axes) {
        return reduceKept("reduce_sum", x, axes);
    }

    static INDArray meanKept(INDArray x, int... axes) {
        return reduceKept("reduce_mean", x, axes);
    }

    private static INDArray reduceKept(String kernel, INDArray x, int[] axes) {
        long[] shape = x.shape().clone();
        long[] ax = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            shape[axes[i]] = 1;
            ax[i] = axes[i];
        }
        INDArray out = Kernels.empty(x.dataType(), shape);
        if ("reduce_sum".equals(kernel)) {
            return Kernels.reduceSum(out, x, true, ax);
        }
        Kernels.exec(kernel, new INDArray[] {x}, new INDArray[] {out}, ax, null, new boolean[] {true});
        return out;
    }

    /** One of libnd4j's legacy elementwise functions ({@link Kernels#transform}) into a new array. */
    static INDArray fn(String name, INDArray x) {
        return Kernels.transform(name, Kernels.empty(x.dataType(), x.shape()), x);
    }

    /** A custom elementwise op with number arguments (e.g. {@code tanh}, {@code lrelu} α) into a new array. */
    static INDArray op(String name, INDArray x, double... tArgs) {
        INDArray out = Kernels.empty(x.dataType(), x.shape());
        if (out.length() > 0) {
            Kernels.exec(name, new INDArray[] {x}, new INDArray[] {out}, null, tArgs, null);
        }
        return out;
    }

    /** A custom op's backward, {@code name(x, g)} (e.g. {@code tanh_bp}), into a new array shaped like g. */
    static INDArray bp(String name, INDArray x, INDArray g, double... tArgs) {
        INDArray out = Kernels.empty(g.dataType(), g.shape());
        if (out.length() > 0) {
            Kernels.exec(name, new INDArray[] {x, g}, new INDArray[] {out}, null, tArgs, null);
        }
        return out;
    }

    /** A broadcasting comparison ("equals", "greater", ...) into a BOOL array. */
    static INDArray compare(String kernel, INDArray a, INDArray b) {
        INDArray out = Kernels.empty(DataType.BOOL, Shapes.broadcast(kernel, a.shape(), b.shape()));
        return Kernels.exec(kernel, out, a, b);
    }

    /** A bool mask as 0/1 in {@code type}, for multiplying gradients. */
    static INDArray mask(INDArray bool, DataType type) {
        return bool.castTo(type);
    }

    static INDArray scalar(DataType type, double v) {
        return org.nd4j.linalg.factory.Nd4j.scalar(type, v);
    }

    /** {@code x} broadcast (materialised) to {@code shape}. */
    static INDArray broadcastTo(INDArray x, long[] shape) {
        if (java.util.Arrays.equals(x.shape(), shape)) {
            return x;
        }
        INDArray src = x;
        if (x.rank() < shape.length) {
            long[] padded = new long[shape.length];
            java.util.Arrays.fill(padded, 1);
            System.arraycopy(x.shape(), 0, padded, shape.length - x.rank(), x.rank());
            src = x.reshape('c', padded);
        }
        INDArray out = Kernels.empty(x.dataType(), shape);
        // add(src, zeros) would work too; broadcast_to states the intent and skips the arithmetic.
        Kernels.exec("broadcast_to", new INDArray[] {src, org.nd4j.linalg.factory.Nd4j.createFromArray(shape)},
                new INDArray[] {out}, null, null, null);
        return out;
    }
}

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

package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.ShapeException;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the math converters share: checks that fail with {@link OnnxOp#error} before any native call, and
 * the direct (non-differentiable) kernels used for integer and bool tensors, which carry no gradient.
 */
final class MathSupport {
    private MathSupport() {}

    static boolean floating(Tensor t) {
        return t.dtype().isFPType();
    }

    /** The output shape of a broadcast, refused when it does not exist or is too large. */
    static long[] broadcast(OnnxOp op, Tensor... xs) {
        long[] shape = xs[0].shape();
        for (int i = 1; i < xs.length; i++) {
            try {
                shape = Shapes.broadcast(op.opType(), shape, xs[i].shape());
            } catch (ShapeException e) {
                throw op.error("inputs do not broadcast: " + shapes(xs));
            }
        }
        return op.checkShape(shape, "the broadcast output");
    }

    static String shapes(Tensor... xs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < xs.length; i++) {
            b.append(i == 0 ? "" : ", ").append(xs[i].dtype().name().toLowerCase()).append(Arrays.toString(xs[i].shape()));
        }
        return b.toString();
    }

    /** Every input must have the same dtype (ONNX's single type variable T). */
    static DataType sameType(OnnxOp op, Tensor... xs) {
        DataType t = xs[0].dtype();
        for (Tensor x : xs) {
            if (x.dtype() != t) {
                throw op.error("inputs must have one dtype, got " + shapes(xs));
            }
        }
        return t;
    }



    /** A scalar (0-D or single element) input as a double. */
    static double scalar(OnnxOp op, Tensor t, String what) {
        if (t.data().length() != 1) {
            throw op.error(what + " must be a scalar, got " + shapes(t));
        }
        return t.data().getDouble(0);
    }

    /** A bool scalar input. */
    static boolean bool(OnnxOp op, Tensor t, String what) {
        if (t.data().length() != 1) {
            throw op.error(what + " must be a scalar, got " + shapes(t));
        }
        return t.data().getDouble(0) != 0;
    }

    /** A native broadcasting binary kernel straight on the arrays (integer and bool paths). */
    static Tensor direct(OnnxOp op, String kernel, DataType outType, Tensor a, Tensor b) {
        long[] shape = broadcast(op, a, b);
        INDArray out = Kernels.empty(outType, shape);
        if (out.isEmpty()) {
            return Tensor.of(out);
        }
        Kernels.exec(kernel, out, a.data(), b.data());
        return Tensor.of(out);
    }

    /** {@code x} materialised in {@code shape} (which it broadcasts to). */
    static INDArray broadcastTo(INDArray x, long[] shape) {
        if (Arrays.equals(x.shape(), shape)) {
            return x;
        }
        INDArray src = x;
        if (x.rank() < shape.length) {
            long[] padded = new long[shape.length];
            Arrays.fill(padded, 1);
            System.arraycopy(x.shape(), 0, padded, shape.length - x.rank(), x.rank());
            src = x.reshape('c', padded);
        }
        INDArray out = Kernels.empty(x.dataType(), shape);
        if (out.isEmpty()) {
            return out;
        }
        Kernels.exec("broadcast_to", new INDArray[] {src, Nd4j.createFromArray(shape)}, new INDArray[] {out}, null,
                null, null);
        return out;
    }

    /** The refusal for a dtype an op does not run on. */
    static RuntimeException unsupportedType(OnnxOp op, Tensor t) {
        return op.error("dtype " + t.dtype().name().toLowerCase() + " is not supported");
    }

    /** Outputs array of the declared size with the first filled. */
    static Tensor[] one(OnnxOp op, Tensor y) {
        Tensor[] out = new Tensor[Math.max(1, op.outputCount())];
        out[0] = y;
        return out;
    }
}

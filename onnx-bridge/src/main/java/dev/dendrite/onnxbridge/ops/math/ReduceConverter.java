package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ReduceSum, ReduceMean, ReduceProd, ReduceMin, ReduceMax and ReduceLogSumExp. Axes are an attribute
 * until opset 12 (ReduceSum) or 17 (the others) and an optional input after; no axes means all of them,
 * or nothing at all with {@code noop_with_empty_axes}. Reducing an empty set gives the reduction's
 * identity: 0 for sum, 1 for prod, −inf for max and log-sum-exp, +inf for min, NaN for mean.
 */
public final class ReduceConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("ReduceSum", "ReduceMean", "ReduceProd", "ReduceMin", "ReduceMax", "ReduceLogSumExp");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "data");
        boolean keepDims = op.attr("keepdims", 1L) != 0;
        int axesInputFrom = op.opType().equals("ReduceSum") ? 13 : 18;
        long[] requested;
        if (op.opset() >= axesInputFrom) {
            requested = OnnxOp.present(inputs, 1) ? op.longs(inputs, 1, "axes") : new long[0];
            if (requested.length == 0 && op.attr("noop_with_empty_axes", 0L) != 0) {
                return MathSupport.one(op, x);
            }
        } else {
            requested = op.attr("axes", new long[0]);
        }
        int rank = x.rank();
        int[] axes;
        if (requested.length == 0) {
            axes = new int[rank];
            for (int i = 0; i < rank; i++) {
                axes[i] = i;
            }
        } else {
            axes = op.axes(requested, rank, "axes");
        }
        long[] kept = x.shape().clone();
        boolean emptySet = false;
        for (int a : axes) {
            emptySet |= kept[a] == 0;
            kept[a] = 1;
        }
        long[] outShape = keepDims ? kept : dropped(x.shape(), axes);
        op.checkShape(outShape, "the reduced output");
        if (x.dtype() == DataType.BOOL || !x.dtype().isNumerical()) {
            throw MathSupport.unsupportedType(op, x);
        }
        if (rank == 0 || axes.length == 0) {
            return MathSupport.one(op, x);
        }
        if (x.data().isEmpty()) {
            // Nothing to reduce natively: the output is the identity of the reduction (or itself empty).
            return MathSupport.one(op, Tensor.of(filled(op, x.dtype(), outShape, emptySet)));
        }
        if (!MathSupport.floating(x)) {
            return MathSupport.one(op, Tensor.of(integers(op, x.data(), axes, keepDims, outShape)));
        }
        Tensor y = switch (op.opType()) {
            case "ReduceSum" -> F.sum(x, keepDims, axes);
            case "ReduceMean" -> F.mean(x, keepDims, axes);
            case "ReduceProd" -> F.prod(x, keepDims, axes);
            case "ReduceMin" -> F.min(x, keepDims, axes);
            case "ReduceMax" -> F.max(x, keepDims, axes);
            default -> F.logSumExp(x, keepDims, axes);
        };
        return MathSupport.one(op, y);
    }

    private static long[] dropped(long[] shape, int[] axes) {
        boolean[] drop = new boolean[shape.length];
        for (int a : axes) {
            drop[a] = true;
        }
        long[] out = new long[shape.length - axes.length];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (!drop[i]) {
                out[j++] = shape[i];
            }
        }
        return out;
    }

    private static INDArray filled(OnnxOp op, DataType type, long[] shape, boolean emptySet) {
        if (!emptySet || shape.length > 0 && Arrays.stream(shape).anyMatch(d -> d == 0)) {
            return Nd4j.create(type, shape);
        }
        boolean fp = type.isFPType();
        double v = switch (op.opType()) {
            case "ReduceSum" -> 0;
            case "ReduceProd" -> 1;
            case "ReduceMean" -> Double.NaN;
            case "ReduceMin" -> fp ? Double.POSITIVE_INFINITY : Double.NaN;
            default -> fp ? Double.NEGATIVE_INFINITY : Double.NaN;
        };
        if (Double.isNaN(v) && !fp) {
            throw op.error("an empty integer reduction is not supported");
        }
        return Nd4j.valueArrayOf(shape, v, type);
    }

    /** Integer reductions, natively and without gradient. */
    private static INDArray integers(OnnxOp op, INDArray x, int[] axes, boolean keepDims, long[] outShape) {
        INDArray y = switch (op.opType()) {
            case "ReduceSum" -> x.sum(keepDims, axes);
            case "ReduceProd" -> x.prod(keepDims, axes);
            case "ReduceMin" -> x.min(keepDims, axes);
            case "ReduceMax" -> x.max(keepDims, axes);
            default -> throw op.error("dtype " + x.dataType().name().toLowerCase() + " is not supported");
        };
        return y.reshape('c', outShape).castTo(x.dataType());
    }
}

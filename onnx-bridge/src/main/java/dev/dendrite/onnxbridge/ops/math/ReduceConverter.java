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
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ReduceSum, ReduceMean, ReduceProd, ReduceMin, ReduceMax, ReduceLogSumExp, and the norms ReduceL1 (Σ|x|),
 * ReduceL2 (√Σx²), ReduceSumSquare (Σx²) and ReduceLogSum (log Σx). Axes are an attribute until opset 12
 * (ReduceSum) or 17 (the others) and an optional input after; no axes means all of them, or nothing at all
 * with {@code noop_with_empty_axes} (the norms then still apply their elementwise part, |x|, |x|, x² and
 * log x, as ONNX's reference does). Reducing an empty set gives the reduction's identity: 0 for sum and
 * the norms, 1 for prod, −inf for max, log-sum-exp and log-sum, +inf for min, NaN for mean.
 *
 * <p>ReduceL2's gradient where the norm is 0 is 0 (PyTorch's {@code norm} backward), not 0·∞ = NaN: the core
 * {@code Sqrt} takes slope 0 at 0.
 */
public final class ReduceConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("ReduceSum", "ReduceMean", "ReduceProd", "ReduceMin", "ReduceMax", "ReduceLogSumExp",
                "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum");
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
                return MathSupport.one(op, elementwise(op, x));
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
            return MathSupport.one(op, elementwise(op, x));
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
            case "ReduceLogSumExp" -> F.logSumExp(x, keepDims, axes);
            case "ReduceL1" -> F.sum(F.abs(x), keepDims, axes);
            case "ReduceSumSquare" -> F.sum(F.mul(x, x), keepDims, axes);
            case "ReduceL2" -> F.sqrt(F.sum(F.mul(x, x), keepDims, axes));
            case "ReduceLogSum" -> F.log(F.sum(x, keepDims, axes));
            default -> throw op.error("unknown reduction");
        };
        return MathSupport.one(op, y);
    }

    /** The reduction of a single element (nothing reduced): x itself, or the norms' elementwise part. */
    private static Tensor elementwise(OnnxOp op, Tensor x) {
        String type = op.opType();
        boolean norm = type.equals("ReduceL1") || type.equals("ReduceL2") || type.equals("ReduceSumSquare")
                || type.equals("ReduceLogSum");
        if (!norm) {
            return x;
        }
        if (x.dtype() == DataType.BOOL || !x.dtype().isNumerical()) {
            throw MathSupport.unsupportedType(op, x);
        }
        if (!MathSupport.floating(x)) {
            INDArray d = x.data().castTo(DataType.DOUBLE);
            INDArray y = switch (type) {
                case "ReduceSumSquare" -> d.mul(d);
                case "ReduceLogSum" -> Transforms.log(d, false);
                default -> Transforms.abs(d, false);
            };
            return Tensor.of(y.castTo(x.dtype()));
        }
        return switch (type) {
            case "ReduceSumSquare" -> F.mul(x, x);
            case "ReduceLogSum" -> F.log(x);
            default -> F.abs(x);
        };
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
            case "ReduceSum", "ReduceL1", "ReduceL2", "ReduceSumSquare" -> 0;
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
            case "ReduceL1" -> Transforms.abs(x, true).sum(keepDims, axes);
            case "ReduceSumSquare" -> x.mul(x).sum(keepDims, axes);
            // In float64 (exact below 2^53), truncated back to the input's dtype like ONNX's reference.
            case "ReduceL2" -> {
                INDArray d = x.castTo(DataType.DOUBLE);
                yield Transforms.sqrt(d.mul(d).sum(keepDims, axes), false);
            }
            case "ReduceLogSum" -> Transforms.log(x.castTo(DataType.DOUBLE).sum(keepDims, axes), false);
            default -> throw op.error("dtype " + x.dataType().name().toLowerCase() + " is not supported");
        };
        return y.reshape('c', outShape).castTo(x.dataType());
    }
}

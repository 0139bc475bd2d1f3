package dev.dendrite.onnxbridge.ops.loss;

import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The negative log-likelihood shared by NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss, on input
 * [N, C, d1..dk] and integer targets [N, d1..dk]: loss = −input[n, target, d] · weight[target], zero where
 * the target is ignore_index; mean divides by the summed weights of the targets not ignored. The picked
 * entries are one Gather on the flattened input, so the gradient reaches the input (and weight).
 */
final class ClassLoss {
    private ClassLoss() {}

    static Tensor nll(OnnxOp op, Tensor input, Tensor target, Tensor weight) {
        String reduction = op.attr("reduction", "mean");
        if (!reduction.equals("none") && !reduction.equals("sum") && !reduction.equals("mean")) {
            throw op.error("reduction '" + reduction + "' is not supported (none, sum, mean)");
        }
        long[] shape = input.shape();
        if (!input.dtype().isFPType() || shape.length < 2) {
            throw op.error("the input must be floating-point of rank >= 2 [N, C, d1..dk], got " + input.dtype()
                    + Arrays.toString(shape));
        }
        long[] tShape = new long[shape.length - 1];
        tShape[0] = shape[0];
        System.arraycopy(shape, 2, tShape, 1, shape.length - 2);
        if (target.dtype().isFPType() || target.dtype() == DataType.BOOL || !Arrays.equals(target.shape(), tShape)) {
            throw op.error("the target must be integer of shape " + Arrays.toString(tShape) + ", got "
                    + target.dtype() + Arrays.toString(target.shape()));
        }
        long n = shape[0];
        long c = shape[1];
        long d = n == 0 ? 0 : input.data().length() / (n * Math.max(1, c));
        if (n * c * d == 0) {
            throw op.error("empty input " + Arrays.toString(shape) + " is not supported");
        }
        if (weight != null && (weight.dtype() != input.dtype() || weight.rank() != 1 || weight.size(0) != c)) {
            throw op.error("weight must be " + input.dtype() + "[" + c + "], got " + weight.dtype()
                    + Arrays.toString(weight.shape()));
        }
        INDArray t = target.data().castTo(DataType.INT64).reshape('c', n, d);
        boolean ignoring = op.has("ignore_index");
        INDArray valid = ignoring ? t.neq(op.attr("ignore_index", 0L)) : null;
        INDArray safe = ignoring ? t.mul(valid.castTo(DataType.INT64)) : t;
        long lo = safe.minNumber().longValue();
        long hi = safe.maxNumber().longValue();
        if (lo < 0 || hi >= c) {
            throw op.error("target holds class " + (lo < 0 ? lo : hi) + ", outside [0, " + c + ")"
                    + (ignoring ? " and not ignore_index" : ""));
        }
        INDArray flat = safe.mul(d).addColumnVector(range(n, c * d).reshape(n, 1)).addRowVector(range(d, 1)
                .reshape(1, d));
        Tensor picked = F.gather(F.reshape(input, -1), Tensor.of(flat.reshape('c', tShape)), 0);
        Tensor loss = F.neg(picked);
        Tensor zero = F.scalar(input, 0);
        Tensor keep = ignoring ? Tensor.of(valid.reshape('c', tShape)) : null;
        Tensor w = null;
        if (weight != null) {
            w = F.gather(weight, Tensor.of(safe.reshape('c', tShape)), 0);
            if (keep != null) {
                w = F.where(keep, w, zero);
            }
            loss = F.mul(loss, w);
        }
        if (keep != null) {
            loss = F.where(keep, loss, zero);
        }
        return switch (reduction) {
            case "none" -> loss;
            case "sum" -> F.sum(loss, false);
            default -> {
                if (w != null) {
                    yield F.div(F.sum(loss, false), F.sum(w, false));
                }
                if (keep != null) {
                    yield F.div(F.sum(loss, false), F.scalar(input, valid.castTo(DataType.INT64).sumNumber()
                            .doubleValue()));
                }
                yield F.mean(loss, false);
            }
        };
    }

    /** 0, step, 2·step, ... (count values) as int64. */
    private static INDArray range(long count, long step) {
        long[] v = new long[Math.toIntExact(count)];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * step;
        }
        return Nd4j.createFromArray(v);
    }
}

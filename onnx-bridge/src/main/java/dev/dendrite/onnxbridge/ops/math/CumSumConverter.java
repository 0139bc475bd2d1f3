package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Tensor;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * CumSum (opset 11+): the axis is a scalar int32/int64 input. Floats run on the differentiable
 * {@link CumSum} primitive; integers (no native integer kernel) in float64, which is exact while the
 * sums stay below 2^53, refused otherwise.
 */
public final class CumSumConverter implements OnnxConverter {
    private static final double EXACT = 9007199254740992.0; // 2^53

    @Override
    public Set<String> opTypes() {
        return Set.of("CumSum");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "x");
        long[] axisValues = op.longs(inputs, 1, "axis");
        if (axisValues.length != 1) {
            throw op.error("axis must hold one value, got " + axisValues.length);
        }
        if (x.rank() == 0) {
            throw op.error("x must have rank >= 1");
        }
        int axis = op.axis(axisValues[0], x.rank(), "axis");
        boolean exclusive = op.attr("exclusive", 0L) != 0;
        boolean reverse = op.attr("reverse", 0L) != 0;
        if (MathSupport.floating(x)) {
            return MathSupport.one(op, CumSum.cumsum(x, axis, exclusive, reverse));
        }
        if (!x.dtype().isIntType()) {
            throw MathSupport.unsupportedType(op, x);
        }
        INDArray d = x.data().castTo(DataType.DOUBLE);
        if (!d.isEmpty() && Transforms.abs(d, true).sumNumber().doubleValue() >= EXACT) {
            throw op.error("integer sums of 2^53 or more are not supported");
        }
        INDArray y = new CumSum(axis, exclusive, reverse).apply1(Tensor.of(d)).data();
        return MathSupport.one(op, Tensor.of(y.castTo(x.dtype())));
    }
}

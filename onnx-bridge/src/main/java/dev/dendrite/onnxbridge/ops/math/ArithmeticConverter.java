package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Add, Sub, Mul, Div and Pow with NumPy broadcasting. Floating inputs run through the differentiable
 * primitives; integer inputs (shape arithmetic) run natively and carry no gradient.
 */
public final class ArithmeticConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Add", "Sub", "Mul", "Div", "Pow");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor a = op.input(inputs, 0, "A");
        Tensor b = op.input(inputs, 1, "B");
        if (op.opType().equals("Pow")) {
            return MathSupport.one(op, pow(op, a, b));
        }
        MathSupport.sameType(op, a, b);
        MathSupport.broadcast(op, a, b);
        if (MathSupport.floating(a)) {
            Tensor y = switch (op.opType()) {
                case "Add" -> F.add(a, b);
                case "Sub" -> F.sub(a, b);
                case "Mul" -> F.mul(a, b);
                default -> F.div(a, b);
            };
            return MathSupport.one(op, y);
        }
        if (!a.dtype().isIntType()) {
            throw MathSupport.unsupportedType(op, a);
        }
        if (op.opType().equals("Div") && b.data().length() > 0 && b.data().eq(0).any()) {
            throw op.error("integer division by zero");
        }
        String kernel = switch (op.opType()) {
            case "Add" -> "add";
            case "Sub" -> "subtract";
            case "Mul" -> "multiply";
            default -> "divide";
        };
        return MathSupport.one(op, MathSupport.direct(op, kernel, a.dtype(), a, b));
    }

    /** Pow(T, T1): the result has the base's dtype; the exponent may be of any numeric type. */
    private static Tensor pow(OnnxOp op, Tensor a, Tensor b) {
        MathSupport.broadcast(op, a, b);
        if (!a.dtype().isNumerical() || !b.dtype().isNumerical() || a.dtype() == DataType.BOOL
                || b.dtype() == DataType.BOOL) {
            throw op.error("Pow needs numeric inputs, got " + MathSupport.shapes(a, b));
        }
        if (MathSupport.floating(a)) {
            Tensor e = b;
            if (b.dtype() != a.dtype()) {
                e = MathSupport.floating(b) ? F.cast(b, a.dtype()) : Tensor.of(b.data().castTo(a.dtype()));
            }
            return F.pow(a, e);
        }
        if (!a.dtype().isIntType()) {
            throw MathSupport.unsupportedType(op, a);
        }
        // Integer base: in float64 (exact below 2^53), truncated back to the base's dtype.
        long[] shape = MathSupport.broadcast(op, a, b);
        INDArray base = MathSupport.broadcastTo(a.data().castTo(DataType.DOUBLE), shape);
        INDArray exp = MathSupport.broadcastTo(b.data().castTo(DataType.DOUBLE), shape);
        INDArray y = Transforms.pow(base, exp, true);
        return Tensor.of(y.castTo(a.dtype()));
    }
}

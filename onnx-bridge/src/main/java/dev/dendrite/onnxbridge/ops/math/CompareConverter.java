package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Tensor;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Equal, Greater and Less (bool results, no gradient) and Where (differentiable in its floating
 * branches; integer and bool branches select natively).
 */
public final class CompareConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Equal", "Greater", "Less", "Where");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        if (op.opType().equals("Where")) {
            return MathSupport.one(op, where(op, op.input(inputs, 0, "condition"), op.input(inputs, 1, "X"),
                    op.input(inputs, 2, "Y")));
        }
        Tensor a = op.input(inputs, 0, "A");
        Tensor b = op.input(inputs, 1, "B");
        DataType t = MathSupport.sameType(op, a, b);
        boolean bool = t == DataType.BOOL;
        if (!bool && !t.isNumerical() || bool && !op.opType().equals("Equal")) {
            throw MathSupport.unsupportedType(op, a);
        }
        String kernel = switch (op.opType()) {
            case "Equal" -> "equals";
            case "Greater" -> "greater";
            default -> "less";
        };
        return MathSupport.one(op, MathSupport.direct(op, kernel, DataType.BOOL, a, b));
    }

    private static Tensor where(OnnxOp op, Tensor cond, Tensor x, Tensor y) {
        if (cond.dtype() != DataType.BOOL) {
            throw op.error("the condition must be bool, got " + MathSupport.shapes(cond));
        }
        MathSupport.sameType(op, x, y);
        long[] shape = MathSupport.broadcast(op, cond, x, y);
        if (MathSupport.floating(x)) {
            return F.where(cond, x, y);
        }
        INDArray out = Kernels.empty(x.dtype(), shape);
        if (out.isEmpty()) {
            return Tensor.of(out);
        }
        Kernels.exec("select", out, MathSupport.broadcastTo(cond.data(), shape),
                MathSupport.broadcastTo(x.data(), shape), MathSupport.broadcastTo(y.data(), shape));
        return Tensor.of(out);
    }
}

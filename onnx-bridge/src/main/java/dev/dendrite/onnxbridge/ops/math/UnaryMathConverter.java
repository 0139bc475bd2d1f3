package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Set;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Abs, Neg, Exp, Log, Sqrt and Erf. Abs and Neg also take integers (natively, without gradient). */
public final class UnaryMathConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Abs", "Neg", "Exp", "Log", "Sqrt", "Erf");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "X");
        if (!MathSupport.floating(x)) {
            if (x.dtype().isIntType() && op.opType().equals("Abs")) {
                return MathSupport.one(op, Tensor.of(Transforms.abs(x.data(), true)));
            }
            if (x.dtype().isIntType() && op.opType().equals("Neg")) {
                return MathSupport.one(op, Tensor.of(x.data().neg()));
            }
            throw MathSupport.unsupportedType(op, x);
        }
        Tensor y = switch (op.opType()) {
            case "Abs" -> F.abs(x);
            case "Neg" -> F.neg(x);
            case "Exp" -> F.exp(x);
            case "Log" -> F.log(x);
            case "Sqrt" -> F.sqrt(x);
            default -> Erf.erf(x);
        };
        return MathSupport.one(op, y);
    }
}

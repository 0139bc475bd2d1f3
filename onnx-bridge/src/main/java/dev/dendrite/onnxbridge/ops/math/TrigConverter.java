package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Set;

/**
 * Sin and Cos (floating point only, as in ONNX), e.g. random Fourier features {@code cos(x Wᵀ + b)}: the core
 * primitives {@code F.sin} / {@code F.cos}.
 */
public final class TrigConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Sin", "Cos");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "input");
        if (!MathSupport.floating(x)) {
            throw MathSupport.unsupportedType(op, x);
        }
        return MathSupport.one(op, op.opType().equals("Cos") ? F.cos(x) : F.sin(x));
    }
}

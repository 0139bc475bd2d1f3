package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Set;

/**
 * Reciprocal, 1/x (floating point only, as in ONNX): what PyTorch writes for {@code 1 / t} and
 * {@code t.reciprocal()}, e.g. an RBF width {@code 1 / (2 σ²)}. Composed as a division, so it is differentiable.
 */
public final class ReciprocalConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Reciprocal");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "X");
        if (!MathSupport.floating(x)) {
            throw MathSupport.unsupportedType(op, x);
        }
        return MathSupport.one(op, F.div(F.scalar(x, 1.0), x));
    }
}

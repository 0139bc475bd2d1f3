package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Set;

/**
 * Softmax and LogSoftmax. From opset 13 they work along one axis (default −1). Before, the input is
 * coerced to 2-D at {@code axis} (default 1): [prod(dims before axis), prod(dims from axis on)], the
 * softmax taken over the second dimension, and the result reshaped back.
 */
public final class SoftmaxConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Softmax", "LogSoftmax");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "input");
        boolean log = op.opType().equals("LogSoftmax");
        if (!MathSupport.floating(x)) {
            throw MathSupport.unsupportedType(op, x);
        }
        if (x.rank() == 0) {
            throw op.error("the input must have rank >= 1");
        }
        boolean coerce = op.opset() < 13;
        int axis = op.axis(op.attr("axis", coerce ? 1L : -1L), x.rank(), "axis");
        if (x.data().isEmpty()) {
            return MathSupport.one(op, Tensor.of(x.data().dup()));
        }
        if (!coerce || axis == x.rank() - 1) {
            // The 2-D coercion at the last axis is the plain one-axis softmax.
            return MathSupport.one(op, log ? F.logSoftmax(x, axis) : F.softmax(x, axis));
        }
        Tensor flat = F.flatten(x, axis);
        Tensor y = log ? F.logSoftmax(flat, 1) : F.softmax(flat, 1);
        return MathSupport.one(op, F.reshape(y, x.shape()));
    }
}

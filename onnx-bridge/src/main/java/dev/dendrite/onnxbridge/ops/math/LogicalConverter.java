package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Tensor;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The bool ops Not, And, Or, Xor (with broadcasting), which carry no gradient. PyTorch 1.13 exports
 * {@code ~mask}, {@code t != pad} (Equal then Not), {@code a & b} and {@code a | b} on masks with them, e.g. the
 * padding mask of a masked mean over an LSTM's outputs.
 */
public final class LogicalConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Not", "And", "Or", "Xor");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor a = op.input(inputs, 0, op.opType().equals("Not") ? "X" : "A");
        if (a.dtype() != DataType.BOOL) {
            throw op.error("expects bool inputs, got " + MathSupport.shapes(a));
        }
        if (op.opType().equals("Not")) {
            return MathSupport.one(op, Tensor.of(Transforms.not(a.data()).castTo(DataType.BOOL)));
        }
        Tensor b = op.input(inputs, 1, "B");
        MathSupport.sameType(op, a, b);
        long[] shape = MathSupport.broadcast(op, a, b);
        INDArray x = MathSupport.broadcastTo(a.data(), shape);
        INDArray y = MathSupport.broadcastTo(b.data(), shape);
        if (x.isEmpty()) {
            return MathSupport.one(op, Tensor.of(x.dup()));
        }
        INDArray out = switch (op.opType()) {
            case "And" -> Transforms.and(x, y);
            case "Or" -> Transforms.or(x, y);
            default -> Transforms.xor(x, y);
        };
        return MathSupport.one(op, Tensor.of(out.castTo(DataType.BOOL)));
    }
}

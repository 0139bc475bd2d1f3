package dev.dendrite.onnxbridge.ops.shape;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.tensor.Tensor;
import java.util.Set;

/**
 * ScatterElements (opset 11+), its opset 9-10 name Scatter, and ScatterND (opset 11+) through {@link ScatterFunction};
 * reductions {@code none} and {@code add} (opset 16+; {@code mul}, {@code max}, {@code min} are refused). PyTorch 1.13 emits ScatterElements for {@code pack_padded_sequence(...,
 * enforce_sorted=False)} and {@code Tensor.scatter}, and ScatterND for index assignment.
 */
public final class ScatterConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("ScatterElements", "ScatterND", "Scatter");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor data = op.input(inputs, 0, "data");
        Tensor indices = op.input(inputs, 1, "indices");
        Tensor updates = op.input(inputs, 2, "updates");
        if (!indices.dtype().isIntType()) {
            throw op.error("indices must be int32 or int64, got " + indices.dtype());
        }
        if (updates.dtype() != data.dtype()) {
            throw op.error("updates are " + updates.dtype() + " but data is " + data.dtype());
        }
        String reduction = op.attr("reduction", "none");
        if (!reduction.equals("none") && !reduction.equals("add")) {
            throw op.error("reduction '" + reduction + "' is not supported (only 'none' and 'add')");
        }
        boolean nd = op.opType().equals("ScatterND");
        int axis = 0;
        if (!nd) {
            if (data.rank() == 0) {
                throw op.error("expects data of rank >= 1");
            }
            axis = op.axis(op.attr("axis", 0L), data.rank(), "axis");
        }
        String name = op.opType() + " '" + op.name() + "'";
        return new Tensor[] {new ScatterFunction(name, nd, axis, reduction.equals("add")).apply1(data, indices, updates)};
    }
}

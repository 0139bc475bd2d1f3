package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.onnx.OnnxTypes;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Tensor;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Identity (the same tensor), Constant (a constant, never trained) and Cast (differentiable between floats). */
public final class ValueConverter implements OnnxConverter {
    private static final Set<String> CONSTANT_ATTRIBUTES = Set.of("value", "value_float", "value_floats",
            "value_int", "value_ints", "value_string", "value_strings", "sparse_value");

    @Override
    public Set<String> opTypes() {
        return Set.of("Identity", "Constant", "Cast");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        return MathSupport.one(op, switch (op.opType()) {
            case "Identity" -> op.input(inputs, 0, "input");
            case "Constant" -> Tensor.of(constant(op));
            default -> cast(op, op.input(inputs, 0, "input"));
        });
    }

    private static INDArray constant(OnnxOp op) {
        String which = null;
        for (String a : op.attributes().keySet()) {
            if (CONSTANT_ATTRIBUTES.contains(a)) {
                if (which != null) {
                    throw op.error("has both '" + which + "' and '" + a + "'; exactly one value attribute is allowed");
                }
                which = a;
            }
        }
        if (which == null) {
            throw op.error("has no value attribute");
        }
        return switch (which) {
            case "value" -> op.tensorAttr("value");
            case "value_float" -> Nd4j.scalar(DataType.FLOAT, op.attr("value_float", 0.0));
            case "value_floats" -> Nd4j.createFromArray(op.attr("value_floats", new double[0])).castTo(DataType.FLOAT);
            case "value_int" -> Nd4j.scalar(DataType.LONG, op.attr("value_int", 0L));
            case "value_ints" -> Nd4j.createFromArray(op.attr("value_ints", new long[0]));
            default -> throw op.error("attribute '" + which + "' is not supported (string and sparse constants)");
        };
    }

    private static Tensor cast(OnnxOp op, Tensor x) {
        long to = op.require("to", Long.class);
        DataType type;
        try {
            type = OnnxTypes.toNd4j(to);
        } catch (IllegalArgumentException e) {
            throw op.error("cast to ONNX type " + to + " is not supported");
        }
        if (x.dtype() == DataType.UTF8) {
            throw op.error("cast from strings is not supported");
        }
        return F.cast(x, type);
    }
}

package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Shapes;
import dev.dendrite.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sum, Mean, Min and Max of one or more inputs with broadcasting, folded pairwise. Min and Max select
 * with Where (ties go to the earlier input, NaN propagates), so the gradient reaches the chosen input.
 */
public final class VariadicConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Sum", "Mean", "Min", "Max");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            xs.add(op.input(inputs, i, "data_" + i));
        }
        if (xs.isEmpty()) {
            throw op.error("needs at least one input");
        }
        Tensor[] all = xs.toArray(Tensor[]::new);
        MathSupport.sameType(op, all);
        MathSupport.broadcast(op, all);
        Tensor first = all[0];
        boolean fp = MathSupport.floating(first);
        if (!fp && (!first.dtype().isIntType() || op.opType().equals("Mean"))) {
            throw MathSupport.unsupportedType(op, first);
        }
        Tensor y = first;
        for (int i = 1; i < all.length; i++) {
            y = fp ? combine(op.opType(), y, all[i]) : combineDirect(op, y, all[i]);
        }
        if (op.opType().equals("Mean") && all.length > 1) {
            y = F.mul(y, 1.0 / all.length);
        }
        return MathSupport.one(op, y);
    }

    private static Tensor combine(String opType, Tensor a, Tensor b) {
        return switch (opType) {
            case "Sum", "Mean" -> F.add(a, b);
            default -> F.where(Tensor.of(pick(opType.equals("Max"), a.data(), b.data())), a, b);
        };
    }

    /** Where a (not b) is the result: a ≥ b for Max (a ≤ b for Min), or a is NaN. */
    private static INDArray pick(boolean max, INDArray a, INDArray b) {
        long[] shape = Shapes.broadcast("pick", a.shape(), b.shape());
        INDArray cmp = Kernels.empty(DataType.BOOL, shape);
        INDArray or = Kernels.empty(DataType.BOOL, shape);
        if (cmp.isEmpty()) {
            return cmp;
        }
        Kernels.exec(max ? "greater_equal" : "less_equal", cmp, a, b);
        Kernels.exec("boolean_or", or, cmp, MathSupport.broadcastTo(a.neq(a), shape));
        return or;
    }

    private static Tensor combineDirect(OnnxOp op, Tensor a, Tensor b) {
        String kernel = switch (op.opType()) {
            case "Sum" -> "add";
            case "Max" -> "maximum";
            default -> "minimum";
        };
        return MathSupport.direct(op, kernel, a.dtype(), a, b);
    }
}

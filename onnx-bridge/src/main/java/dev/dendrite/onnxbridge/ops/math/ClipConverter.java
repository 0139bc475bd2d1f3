package dev.dendrite.onnxbridge.ops.math;

import dev.dendrite.onnx.OnnxConverter;
import dev.dendrite.onnx.OnnxOp;
import dev.dendrite.ops.Clamp;
import dev.dendrite.ops.F;
import dev.dendrite.tensor.Kernels;
import dev.dendrite.tensor.Tensor;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Clip: bounds are attributes before opset 11 and optional scalar inputs from it on; a missing bound is
 * unbounded. When min exceeds max every value becomes max (opset 13's rule), a constant. The bounds are
 * read as values: no gradient flows into them.
 */
public final class ClipConverter implements OnnxConverter {
    @Override
    public Set<String> opTypes() {
        return Set.of("Clip");
    }

    @Override
    public Tensor[] convert(OnnxOp op, Tensor[] inputs) {
        Tensor x = op.input(inputs, 0, "input");
        Tensor minT = null;
        Tensor maxT = null;
        if (op.opset() >= 11) {
            minT = OnnxOp.present(inputs, 1) ? inputs[1] : null;
            maxT = OnnxOp.present(inputs, 2) ? inputs[2] : null;
            for (Tensor b : new Tensor[] {minT, maxT}) {
                if (b != null && b.dtype() != x.dtype()) {
                    throw op.error("min and max must have the input's dtype, got " + MathSupport.shapes(x, b));
                }
            }
        }
        if (MathSupport.floating(x)) {
            double[] bounds = floatBounds(op, inputs);
            double min = bounds[0];
            double max = bounds[1];
            if (Double.isNaN(min) || Double.isNaN(max)) {
                throw op.error("a NaN bound is not supported");
            }
            if (min > max) {
                return MathSupport.one(op, Tensor.of(Nd4j.valueArrayOf(x.shape(), max, x.dtype())));
            }
            if (min == Double.NEGATIVE_INFINITY && max == Double.POSITIVE_INFINITY) {
                return MathSupport.one(op, x);
            }
            return MathSupport.one(op, F.clip(x, min, max));
        }
        if (!x.dtype().isIntType()) {
            throw MathSupport.unsupportedType(op, x);
        }
        return MathSupport.one(op, clipIntegers(op, x, minT, maxT));
    }

    /** Clip with float bounds min ≤ max (not both infinite) is a clamp; anything else runs as itself. */
    @Override
    public Clamp asClamp(OnnxOp op, Tensor[] inputs) {
        for (int i = 1; i <= 2 && op.opset() >= 11; i++) {
            if (OnnxOp.present(inputs, i) && (!MathSupport.floating(inputs[i]) || inputs[i].data().length() != 1)) {
                return null;
            }
        }
        double[] bounds = floatBounds(op, inputs);
        boolean unbounded = bounds[0] == Double.NEGATIVE_INFINITY && bounds[1] == Double.POSITIVE_INFINITY;
        return bounds[0] <= bounds[1] && !unbounded ? new Clamp(bounds[0], bounds[1]) : null;
    }

    /** {min, max} of a float Clip: scalar inputs from opset 11 on, attributes before; a missing one is unbounded. */
    private static double[] floatBounds(OnnxOp op, Tensor[] inputs) {
        if (op.opset() < 11) {
            return new double[] {op.attr("min", Double.NEGATIVE_INFINITY), op.attr("max", Double.POSITIVE_INFINITY)};
        }
        return new double[] {bound(op, OnnxOp.present(inputs, 1) ? inputs[1] : null, Double.NEGATIVE_INFINITY, "min"),
            bound(op, OnnxOp.present(inputs, 2) ? inputs[2] : null, Double.POSITIVE_INFINITY, "max")};
    }

    private static double bound(OnnxOp op, Tensor b, double otherwise, String what) {
        return b == null ? otherwise : MathSupport.scalar(op, b, what);
    }

    private static Tensor clipIntegers(OnnxOp op, Tensor x, Tensor minT, Tensor maxT) {
        if (op.opset() < 11) {
            throw op.error("integer Clip needs opset 11 or later");
        }
        Long min = minT == null ? null : scalarLong(op, minT, "min");
        Long max = maxT == null ? null : scalarLong(op, maxT, "max");
        if (min != null && max != null && min > max) {
            return Tensor.of(Kernels.empty(x.dtype(), x.shape()).assign(max));
        }
        INDArray y = x.data();
        if (max != null) {
            y = apply("minimum", y, max);
        }
        if (min != null) {
            y = apply("maximum", y, min);
        }
        return Tensor.of(y == x.data() ? y.dup() : y);
    }

    private static long scalarLong(OnnxOp op, Tensor t, String what) {
        if (t.data().length() != 1) {
            throw op.error(what + " must be a scalar, got " + MathSupport.shapes(t));
        }
        return t.data().getLong(0);
    }

    private static INDArray apply(String kernel, INDArray y, long bound) {
        INDArray out = Kernels.empty(y.dataType(), y.shape());
        if (out.isEmpty()) {
            return out;
        }
        return Kernels.exec(kernel, out, y, Nd4j.scalar(bound).castTo(y.dataType()));
    }
}
